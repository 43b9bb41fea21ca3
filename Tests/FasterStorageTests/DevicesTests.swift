import FasterTestSupport
import Foundation
import Testing

@testable import FasterStorage

@Suite struct DevicesTests {
  final class LogLines {
    var lines: [String] = []
  }

  @Test func forcedFallbackGivesFileDeviceWithOneLogLine() throws {
    let directory = TemporaryDirectory()
    defer { directory.remove() }
    let log = LogLines()
    let device = try Devices.open(
      .uring, options: DeviceUnderTest.uring.options(directory: directory.path), forceFileDevice: true
    ) { log.lines.append($0) }
    defer { device.close() }
    #expect(device is FileDevice)
    #expect(device.name == "file")
    #expect(log.lines.count == 1)
    #expect(log.lines.first?.contains("using the pread/pwrite file device") == true)
    let buffer = AlignedBuffer(byteCount: 4096)
    buffer.fill(tag: 1)
    #expect(try device.writeAndWait(buffer, at: 0).get() == 4096)
  }

  @Test func unavailableIoUringFallsBackToFileDeviceWithOneClearLine() throws {
    let directory = TemporaryDirectory()
    defer { directory.remove() }
    let log = LogLines()
    let device = try Devices.open(
      .uring, options: DeviceUnderTest.uring.options(directory: directory.path), forceFileDevice: false,
      simulatedRingFailure: EPERM
    ) { log.lines.append($0) }
    defer { device.close() }
    #expect(device is FileDevice)
    #expect(
      log.lines == [
        "faster: io_uring unavailable (io_uring_queue_init: Operation not permitted); using the pread/pwrite file device"
      ])
  }

  @Test func ringSetupErrorsNameTheErrnoAndTheRemedy() {
    let denied = IoUringEngine.setupError(errorNumber: EPERM, depth: 64)
    #expect(denied.kind == .permissionDenied)
    #expect(denied.errorNumber == EPERM)
    #expect(denied.message.contains("io_uring_queue_init(64)"))
    #expect(denied.message.contains("DeviceKind.file"))
    #expect(IoUringEngine.setupError(errorNumber: ENOSYS, depth: 8).kind == .ioError)
  }

  @Test func uringIsUsedWhereItWorksUnlessTheEnvironmentForcesTheFallback() throws {
    let directory = TemporaryDirectory()
    defer { directory.remove() }
    let log = LogLines()
    let device = try Devices.open(.uring, options: DeviceUnderTest.uring.options(directory: directory.path)) {
      log.lines.append($0)
    }
    defer { device.close() }
    if Devices.forceFileDeviceRequested() {
      print("FASTER_FORCE_FILE_DEVICE is set: expecting the file device")
      #expect(device is FileDevice)
      #expect(log.lines.count == 1)
    } else if log.lines.isEmpty {
      #expect(device is IoUringDevice)
    } else {
      // io_uring unavailable on this machine: the fallback must have said so once.
      #expect(device is FileDevice)
      #expect(log.lines.count == 1)
    }
  }

  @Test func environmentValuesThatForceTheFallback() {
    #expect(Devices.forceFileDeviceRequested(value: "1"))
    #expect(Devices.forceFileDeviceRequested(value: "TRUE"))
    #expect(!Devices.forceFileDeviceRequested(value: "0"))
    #expect(!Devices.forceFileDeviceRequested(value: ""))
  }

  @Test(arguments: DeviceKind.allCases)
  func openGivesTheNamedKind(kind: DeviceKind) throws {
    let directory = TemporaryDirectory()
    defer { directory.remove() }
    let device = try Devices.open(
      kind, options: DeviceUnderTest.file.options(directory: directory.path), forceFileDevice: false
    ) { _ in }
    defer { device.close() }
    #expect(device.name == kind.rawValue)
  }

  @Test func invalidOptionsAreRefusedWithTheAcceptedRange() {
    var options = DeviceOptions(directory: "/tmp/unused")
    options.segmentSizeBytes = 3 << 20
    #expect(throws: DeviceError.self) { try options.validate() }
    do {
      try options.validate()
    } catch {
      #expect(error.kind == .invalidArgument)
      #expect(error.message.contains("power of two"))
    }
    options.segmentSizeBytes = 1 << 20
    options.queueDepth = 0
    #expect(throws: DeviceError.self) { try FileDevice(options: options) }
  }
}
