import FasterTestSupport
import Foundation
import Testing

@testable import FasterStorage

/// Operating errors reach the caller with a kind and a message a person can act on.
@Suite struct DeviceErrorTests {
  @Test(arguments: [DeviceUnderTest.file, .uring])
  func directoryUnderARegularFileIsRefusedClearly(kind: DeviceUnderTest) throws {
    let directory = TemporaryDirectory()
    defer { directory.remove() }
    let blocker = directory.path + "/not-a-directory"
    #expect(FileManager.default.createFile(atPath: blocker, contents: Data([1])))
    do {
      let device = try kind.open(directory: blocker + "/log")
      device.close()
      Issue.record("opening a device under a regular file succeeded")
    } catch let error as DeviceError {
      #expect(error.kind == .invalidArgument)
      #expect(error.errorNumber == ENOTDIR)
      #expect(error.message.contains(blocker))
      #expect(error.message.contains("point DeviceOptions.directory at a directory"))
    }
  }

  @Test(
    .enabled(if: ScratchMount.isAvailable, "mount -t tmpfs was refused here (needs root / CAP_SYS_ADMIN)"),
    arguments: [DeviceUnderTest.file, .uring])
  func diskFullIsReportedWithTheFileAndOffset(kind: DeviceUnderTest) throws {
    let mount = try ScratchMount(sizeBytes: 1 << 20)
    defer { mount.remove() }
    let device = try kind.open(directory: mount.path + "/log")
    defer { device.close() }
    let buffer = AlignedBuffer(byteCount: 65536)
    buffer.fill(tag: 5)
    var firstError: DeviceError?
    for index in 0..<32 where firstError == nil {
      firstError = device.writeAndWait(buffer, at: UInt64(index) * 65536).error
    }
    let error = try #require(firstError, "2 MiB fitted on a 1 MiB tmpfs")
    #expect(error.kind == .diskFull)
    #expect(error.errorNumber == ENOSPC)
    #expect(error.message.hasPrefix("disk full writing \(mount.path)/log/log."))
    #expect(error.message.contains("at offset"))
    #expect(error.message.contains("free space or point DeviceOptions.directory elsewhere"))
  }

  @Test(
    .enabled(if: ScratchMount.isAvailable, "mount -t tmpfs was refused here (needs root / CAP_SYS_ADMIN)"),
    arguments: [DeviceUnderTest.file, .uring])
  func readOnlyFilesystemIsPermissionDenied(kind: DeviceUnderTest) throws {
    let mount = try ScratchMount(sizeBytes: 1 << 20)
    defer { mount.remove() }
    let device = try kind.open(directory: mount.path + "/log")
    defer { device.close() }
    try mount.remountReadOnly()
    let buffer = AlignedBuffer(byteCount: 4096)
    let error = try #require(device.writeAndWait(buffer, at: 0).error)
    #expect(error.kind == .permissionDenied)
    #expect(error.errorNumber == EROFS)
    #expect(error.message.contains("\(mount.path)/log/log.0"))
    // Opening a new device there fails at once, before any I/O.
    #expect(throws: DeviceError.self) { try kind.open(directory: mount.path + "/log") }
  }

  @Test(
    .enabled(if: ScratchMount.isAvailable, "mount -t ramfs was refused here (needs root / CAP_SYS_ADMIN)"),
    arguments: [DeviceUnderTest.file, .uring])
  func directIORefusedByTheFilesystemFallsBackToBufferedWithOneLogLine(kind: DeviceUnderTest) throws {
    // ramfs refuses O_DIRECT at open (EINVAL), as some network and FUSE filesystems do.
    let mount = try ScratchMount(sizeBytes: 0, type: "ramfs")
    defer { mount.remove() }
    let log = FailureLog()
    var options = kind.options(directory: mount.path)
    options.directIO = true
    options.log = { log.record($0) }
    let device: any StorageDevice =
      kind == .uring ? try IoUringDevice(options: options) : try FileDevice(options: options)
    defer { device.close() }
    let buffer = AlignedBuffer(byteCount: 4096)
    for segment in 0..<3 {
      buffer.fill(tag: UInt64(segment))
      #expect(
        try device.writeAndWait(buffer, at: UInt64(segment) * DeviceUnderTest.segmentSizeBytes).get() == 4096)
    }
    try device.flush()
    for segment in 0..<3 {
      #expect(
        try device.readAndWait(buffer, at: UInt64(segment) * DeviceUnderTest.segmentSizeBytes).get() == 4096)
      #expect(buffer.matches(tag: UInt64(segment)))
    }
    #expect(log.messages.count == 1, "\(log.messages)")
    #expect(log.messages.first?.contains("refuses O_DIRECT") == true)
    #expect(device.alignment == 4096, "the alignment promised at open does not change")
  }

  @Test func segmentRemovedBehindTheDevicesBackIsFileMissing() throws {
    let directory = TemporaryDirectory()
    defer { directory.remove() }
    let buffer = AlignedBuffer(byteCount: 4096)
    do {
      let writer = try DeviceUnderTest.file.open(directory: directory.path)
      _ = try writer.writeAndWait(buffer, at: 0).get()
      writer.close()
    }
    try FileManager.default.removeItem(atPath: directory.path + "/log.0")
    let reader = try DeviceUnderTest.uring.open(directory: directory.path)
    defer { reader.close() }
    let error = try #require(reader.readAndWait(buffer, at: 0).error)
    #expect(error.kind == .fileMissing)
    #expect(error.message.contains("removed by something other than FASTER"))
  }

  @Test func systemCallErrorsMapToKinds() {
    let cases: [(Int32, DeviceError.Kind)] = [
      (ENOSPC, .diskFull), (EDQUOT, .diskFull), (EACCES, .permissionDenied), (EPERM, .permissionDenied),
      (EROFS, .permissionDenied), (ENOENT, .fileMissing), (EIO, .ioError), (EINVAL, .invalidArgument),
    ]
    for (errorNumber, kind) in cases {
      let error = DeviceError.fromSystemCall(
        errorNumber: errorNumber, operation: "writing", path: "/data/log.3", offset: 4096)
      #expect(error.kind == kind, "errno \(errorNumber)")
      #expect(error.errorNumber == errorNumber)
      #expect(error.message.contains("/data/log.3"))
    }
  }
}
