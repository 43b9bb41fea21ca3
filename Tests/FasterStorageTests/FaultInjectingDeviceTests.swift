import FasterStorage
import FasterTestSupport
import Foundation
import Testing

@Suite struct FaultInjectingDeviceTests {
  enum Inner: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case file, uring
    var testDescription: String { rawValue }
    func open(_ directory: String) throws -> any StorageDevice {
      let options = DeviceUnderTest.file.options(directory: directory)
      switch self {
      case .file: return try FileDevice(options: options)
      case .uring: return try IoUringDevice(options: options)
      }
    }
  }

  static let injectableKinds: [DeviceError.Kind] = [
    .diskFull, .permissionDenied, .fileMissing, .ioError, .shortTransfer, .injected, .closed,
    .invalidArgument,
  ]

  @Test(arguments: injectableKinds)
  func failNextGivesTheDocumentedErrorForExactlyCountIOs(kind: DeviceError.Kind) throws {
    let directory = TemporaryDirectory()
    defer { directory.remove() }
    let device = FaultInjectingDevice(wrapping: try Inner.file.open(directory.path), seed: 1)
    defer { device.close() }
    let buffer = AlignedBuffer(byteCount: 4096)
    buffer.fill(tag: 8)
    device.failNext(kind, reads: false, writes: true, count: 2)
    for _ in 0..<2 {
      let error = try #require(device.writeAndWait(buffer, at: 0).error)
      #expect(error.kind == kind)
      #expect(error.message.contains("injected"))
      #expect(error.message.contains("seed 1"))
      let expectedErrno: Int32? =
        switch kind {
        case .diskFull: ENOSPC
        case .permissionDenied: EACCES
        case .fileMissing: ENOENT
        case .ioError: EIO
        default: nil
        }
      #expect(error.errorNumber == expectedErrno)
    }
    #expect(device.unflushedWriteCount == 0, "a failed write must not reach the disk cache")
    #expect(try device.writeAndWait(buffer, at: 0).get() == 4096)
    // Reads were not armed; now arm them alone.
    #expect(try device.readAndWait(buffer, at: 0).get() == 4096)
    device.failNext(kind, reads: true, writes: false, count: 1)
    #expect(device.readAndWait(buffer, at: 0).error?.kind == kind)
    #expect(try device.readAndWait(buffer, at: 0).get() == 4096)
    #expect(buffer.matches(tag: 8))
  }

  @Test(arguments: Inner.allCases)
  func crashLosesExactlyTheUnflushedWrites(inner: Inner) throws {
    let directory = TemporaryDirectory()
    defer { directory.remove() }
    let device = FaultInjectingDevice(wrapping: try inner.open(directory.path), seed: 2)
    let (a, b, c, d) = (
      AlignedBuffer(byteCount: 4096), AlignedBuffer(byteCount: 4096),
      AlignedBuffer(byteCount: 4096), AlignedBuffer(byteCount: 4096)
    )
    a.fill(tag: 1); b.fill(tag: 2); c.fill(tag: 3); d.fill(tag: 4)
    _ = try device.writeAndWait(a, at: 0).get()
    _ = try device.writeAndWait(b, at: 4096).get()
    try device.flush()
    #expect(device.durableBytes == 8192)
    _ = try device.writeAndWait(c, at: 0).get()  // overwrites durable A
    _ = try device.writeAndWait(d, at: 8192).get()  // extends the file
    #expect(device.unflushedWriteCount == 2)
    let check = AlignedBuffer(byteCount: 4096)
    _ = try device.readAndWait(check, at: 0).get()
    #expect(check.matches(tag: 3), "reads see acknowledged writes before the crash")

    device.simulateCrash(tearingLastWriteAt: nil)
    #expect(device.readAndWait(check, at: 0).error?.kind == .closed)
    #expect(device.writeAndWait(check, at: 0).error?.kind == .closed)
    #expect(device.unflushedWriteCount == 0)
    device.reopen()
    _ = try device.readAndWait(check, at: 0).get()
    #expect(check.matches(tag: 1), "the unflushed overwrite was lost")
    _ = try device.readAndWait(check, at: 4096).get()
    #expect(check.matches(tag: 2))
    #expect(
      device.readAndWait(check, at: 8192).error?.kind == .shortTransfer, "the unflushed extension was lost")
    device.close()

    // The files themselves hold exactly the flushed state.
    let disk = try inner.open(directory.path)
    defer { disk.close() }
    _ = try disk.readAndWait(check, at: 0).get()
    #expect(check.matches(tag: 1))
    #expect(disk.readAndWait(check, at: 8192).error?.kind == .shortTransfer)
  }

  @Test(arguments: Inner.allCases)
  func tornWriteLeavesAPrefixOfTheLastWrite(inner: Inner) throws {
    let directory = TemporaryDirectory()
    defer { directory.remove() }
    let device = FaultInjectingDevice(wrapping: try inner.open(directory.path), seed: 3)
    defer { device.close() }
    let old = AlignedBuffer(byteCount: 16384)
    old.fill(tag: 10)
    let new = AlignedBuffer(byteCount: 16384)
    new.fill(tag: 11)
    let other = AlignedBuffer(byteCount: 4096)
    _ = try device.writeAndWait(old, at: 0).get()
    try device.flush()
    _ = try device.writeAndWait(other, at: 32768).get()  // unflushed, not the last: lost
    _ = try device.writeAndWait(new, at: 0).get()  // the last write: torn after 8 KiB
    device.simulateCrash(tearingLastWriteAt: 8192)
    device.reopen()
    let check = AlignedBuffer(byteCount: 16384)
    #expect(try device.readAndWait(check, at: 0).get() == 16384)
    #expect(check.matches(tag: 11, range: 0..<8192), "the torn prefix is the new data")
    #expect(check.matches(tag: 10, range: 8192..<16384), "after the tear the old data remains")
    #expect(device.readAndWait(other, at: 32768).error?.kind == .shortTransfer)
    #expect(device.durableBytes == 16384 + 8192)
  }

  @Test func shortTransfersReportFewerBytesAndKeepOnlyThePrefix() throws {
    let directory = TemporaryDirectory()
    defer { directory.remove() }
    let device = FaultInjectingDevice(wrapping: try Inner.file.open(directory.path), seed: 4)
    defer { device.close() }
    let full = AlignedBuffer(byteCount: 16384)
    full.fill(tag: 20)
    _ = try device.writeAndWait(full, at: 0).get()
    let new = AlignedBuffer(byteCount: 16384)
    new.fill(tag: 21)
    device.shortTransferProbability = 1
    let written = try device.writeAndWait(new, at: 0).get()
    #expect(written < 16384)
    #expect(written % device.alignment == 0)
    let readBack = AlignedBuffer(byteCount: 16384)
    let reported = try device.readAndWait(readBack, at: 0).get()
    #expect(reported < 16384)
    device.shortTransferProbability = 0
    #expect(try device.readAndWait(readBack, at: 0).get() == 16384)
    #expect(readBack.matches(tag: 21, range: 0..<written))
    #expect(readBack.matches(tag: 20, range: written..<16384))
  }

  @Test func delayedAndReorderedCompletionsAllArriveOnce() throws {
    let seed = testSeed("delayedAndReorderedCompletionsAllArriveOnce")
    let directory = TemporaryDirectory()
    defer { directory.remove() }
    let device = FaultInjectingDevice(wrapping: try Inner.file.open(directory.path), seed: seed)
    defer { device.close() }
    device.delayCompletionsMilliseconds = 0...3
    device.reorderCompletions = true
    let buffer = AlignedBuffer(byteCount: 4096)
    let order = FailureLog()
    let waiters = (0..<24).map { index in
      let waiter = CompletionWaiter()
      device.write(buffer.readOnly, at: UInt64(index) * 4096) { result in
        order.record("\(index)")
        waiter.finish(result)
      }
      return waiter
    }
    for waiter in waiters {
      #expect(try waiter.wait().get() == 4096)
    }
    let arrived = order.messages.compactMap(Int.init)
    #expect(arrived.sorted() == Array(0..<24))
    #expect(arrived != Array(0..<24), "24 completions with random delays and reordering arrived in order")
  }

  @Test func sameSeedSameFaults() throws {
    func run(seed: UInt64) throws -> [Int] {
      let directory = TemporaryDirectory()
      defer { directory.remove() }
      let device = FaultInjectingDevice(wrapping: try Inner.file.open(directory.path), seed: seed)
      defer { device.close() }
      device.shortTransferProbability = 0.5
      let buffer = AlignedBuffer(byteCount: 32768)
      return try (0..<16).map { index in try device.writeAndWait(buffer, at: UInt64(index) * 32768).get() }
    }
    let seed = testSeed("sameSeedSameFaults")
    #expect(try run(seed: seed) == run(seed: seed))
  }

  @Test func modelBasedCrashesKeepExactlyTheFlushedState() throws {
    let seed = testSeed("modelBasedCrashesKeepExactlyTheFlushedState")
    var random = TestRandom(seed: seed)
    let directory = TemporaryDirectory()
    defer { directory.remove() }
    let device = FaultInjectingDevice(wrapping: try Inner.file.open(directory.path), seed: seed)
    defer { device.close() }
    // Model: block index -> tag, for what is durable and for what reads should see.
    var durable: [Int: UInt64] = [:]
    var visible: [Int: UInt64] = [:]
    let buffer = AlignedBuffer(byteCount: 4096)
    for step in 0..<300 {
      switch Int.random(in: 0..<10, using: &random) {
      case 0..<6:
        let block = Int.random(in: 0..<40, using: &random)
        let tag = UInt64(step) << 8 | UInt64(block)
        buffer.fill(tag: tag)
        _ = try device.writeAndWait(buffer, at: UInt64(block) * 4096).get()
        visible[block] = tag
      case 6..<8:
        try device.flush()
        durable = visible
      case 8:
        device.simulateCrash(tearingLastWriteAt: nil)
        device.reopen()
        visible = durable
      default:
        guard let (block, tag) = visible.randomElement(using: &random) else { continue }
        _ = try device.readAndWait(buffer, at: UInt64(block) * 4096).get()
        #expect(buffer.matches(tag: tag), "step \(step) block \(block) (seed \(seed))")
      }
    }
    for (block, tag) in visible {
      _ = try device.readAndWait(buffer, at: UInt64(block) * 4096).get()
      #expect(buffer.matches(tag: tag), "final block \(block) (seed \(seed))")
    }
  }

  @Test func truncateDropsUnflushedWritesBelowThePoint() throws {
    let directory = TemporaryDirectory()
    defer { directory.remove() }
    let device = FaultInjectingDevice(wrapping: try Inner.file.open(directory.path), seed: 5)
    defer { device.close() }
    let buffer = AlignedBuffer(byteCount: 4096)
    _ = try device.writeAndWait(buffer, at: 0).get()
    _ = try device.writeAndWait(buffer, at: DeviceUnderTest.segmentSizeBytes).get()
    try device.truncate(before: DeviceUnderTest.segmentSizeBytes)
    #expect(device.unflushedWriteCount == 1)
    #expect(device.readAndWait(buffer, at: 0).error?.kind == .fileMissing)
    #expect(device.name == "faulty(file)")
  }
}

@Suite struct NullDeviceTests {
  @Test func writesSucceedAndReadsFailWithNoData() throws {
    let device = NullDevice()
    defer { device.close() }
    let buffer = AlignedBuffer(byteCount: 4096)
    #expect(try device.writeAndWait(buffer, at: 1 << 20).get() == 4096)
    let error = try #require(device.readAndWait(buffer, at: 1 << 20).error)
    #expect(error.kind == .ioError)
    #expect(error.message.contains("null device holds no data"))
    try device.flush()
    try device.truncate(before: 1 << 40)
    #expect(
      device.statistics == DeviceStatistics(reads: 0, writes: 1, bytesRead: 0, bytesWritten: 4096, flushes: 1)
    )
    #expect(device.name == "null")
  }

  @Test func misalignedIOIsRefusedLikeOnTheRealDevices() {
    let device = NullDevice()
    defer { device.close() }
    let buffer = AlignedBuffer(byteCount: 4096)
    #expect(device.writeAndWait(buffer, at: 100).error?.kind == .invalidArgument)
  }
}
