import FasterStorage
import FasterTestSupport
import Foundation
import Testing

@Suite struct StorageDeviceTests {
  @Test(arguments: DeviceUnderTest.allCases)
  func writeThenReadBackAcrossSegmentBoundaries(kind: DeviceUnderTest) throws {
    let seed = testSeed("writeThenReadBackAcrossSegmentBoundaries(\(kind))")
    var random = TestRandom(seed: seed)
    let directory = TemporaryDirectory()
    defer { directory.remove() }
    let device = try kind.open(directory: directory.path)
    defer { device.close() }
    let segment = DeviceUnderTest.segmentSizeBytes

    // Blocks of 4-16 KiB packed through 5 segments, each ending exactly at or before a boundary.
    var blocks: [(offset: UInt64, buffer: AlignedBuffer)] = []
    var offset: UInt64 = 0
    while offset < 5 * segment {
      var length = UInt64(Int.random(in: 1...4, using: &random) * 4096)
      let segmentEnd = (offset / segment + 1) * segment
      length = min(length, segmentEnd - offset)
      let buffer = AlignedBuffer(byteCount: Int(length))
      buffer.fill(tag: offset ^ seed)
      blocks.append((offset, buffer))
      offset += length
    }
    blocks.shuffle(using: &random)

    // All writes in flight together, then all reads.
    let waiters = blocks.map { block in
      let waiter = CompletionWaiter()
      device.write(block.buffer.readOnly, at: block.offset) { waiter.finish($0) }
      return waiter
    }
    for (waiter, block) in zip(waiters, blocks) {
      #expect(try waiter.wait().get() == block.buffer.bytes.count)
    }
    for block in blocks {
      let readBack = AlignedBuffer(byteCount: block.buffer.bytes.count)
      #expect(try device.readAndWait(readBack, at: block.offset).get() == readBack.bytes.count)
      #expect(readBack.matches(tag: block.offset ^ seed), "block at \(block.offset) read back wrong")
    }
    try device.flush()  // FaultInjectingDevice creates files only when writes become durable
    for index in 0..<5 {
      #expect(directory.fileExists("log.\(index)"))
    }
    let statistics = device.statistics
    #expect(statistics.writes == UInt64(blocks.count))
    #expect(statistics.bytesWritten == 5 * segment)
    #expect(statistics.reads == UInt64(blocks.count))
  }

  @Test(arguments: DeviceUnderTest.allCases)
  func flushMakesWritesDurableAcrossReopen(kind: DeviceUnderTest) throws {
    let directory = TemporaryDirectory()
    defer { directory.remove() }
    let buffer = AlignedBuffer(byteCount: 8192)
    buffer.fill(tag: 42)
    do {
      let device = try kind.open(directory: directory.path)
      #expect(try device.writeAndWait(buffer, at: 65536 + 8192).get() == 8192)
      try device.flush()
      #expect(device.statistics.flushes == 1)
      try device.flush()  // nothing new written: still succeeds
      device.close()
      device.close()  // idempotent
    }
    let reopened = try kind.open(directory: directory.path)
    defer { reopened.close() }
    let readBack = AlignedBuffer(byteCount: 8192)
    #expect(try reopened.readAndWait(readBack, at: 65536 + 8192).get() == 8192)
    #expect(readBack.matches(tag: 42))
  }

  @Test(arguments: DeviceUnderTest.allCases)
  func truncateDeletesWholeSegmentsAndReadsBelowFailWithFileMissing(kind: DeviceUnderTest) throws {
    let directory = TemporaryDirectory()
    defer { directory.remove() }
    let device = try kind.open(directory: directory.path)
    defer { device.close() }
    let segment = DeviceUnderTest.segmentSizeBytes
    let buffer = AlignedBuffer(byteCount: 4096)
    for index in 0..<4 {
      buffer.fill(tag: UInt64(index))
      _ = try device.writeAndWait(buffer, at: UInt64(index) * segment).get()
    }
    try device.flush()
    // Truncating in the middle of segment 2 deletes segments 0 and 1 only.
    try device.truncate(before: 2 * segment + 8192)
    #expect(!directory.fileExists("log.0"))
    #expect(!directory.fileExists("log.1"))
    #expect(directory.fileExists("log.2"))
    #expect(directory.fileExists("log.3"))
    let error = device.readAndWait(buffer, at: segment).error
    #expect(error?.kind == .fileMissing)
    #expect(error?.message.contains("truncat") == true, "message: \(error?.message ?? "")")
    #expect(try device.readAndWait(buffer, at: 2 * segment).get() == 4096)
    #expect(buffer.matches(tag: 2))
    // Truncation never moves backwards.
    try device.truncate(before: 0)
    #expect(device.readAndWait(buffer, at: 0).error?.kind == .fileMissing)
  }

  @Test(arguments: DeviceUnderTest.allCases)
  func misalignedAndSegmentSpanningIOFailWithInvalidArgument(kind: DeviceUnderTest) throws {
    let directory = TemporaryDirectory()
    defer { directory.remove() }
    let device = try kind.open(directory: directory.path)
    defer { device.close() }
    let buffer = AlignedBuffer(byteCount: 16384)
    let misalignedOffset = device.writeAndWait(buffer, at: 100).error
    #expect(misalignedOffset?.kind == .invalidArgument)
    #expect(misalignedOffset?.message.contains("multiples of") == true)
    let shortBuffer = AlignedBuffer(byteCount: 1000)
    #expect(device.writeAndWait(shortBuffer, at: 0).error?.kind == .invalidArgument)
    let spanning = device.writeAndWait(buffer, at: DeviceUnderTest.segmentSizeBytes - 8192).error
    #expect(spanning?.kind == .invalidArgument)
    #expect(
      device.readAndWait(buffer, at: DeviceUnderTest.segmentSizeBytes - 4096).error?.kind == .invalidArgument)
    #expect(device.statistics.writes == 0)
  }

  @Test(arguments: DeviceUnderTest.allCases)
  func completionsRunOnADeviceThreadNeverInline(kind: DeviceUnderTest) throws {
    let directory = TemporaryDirectory()
    defer { directory.remove() }
    let device = try kind.open(directory: directory.path)
    defer { device.close() }
    let caller = pthread_self()
    let buffer = AlignedBuffer(byteCount: 4096)
    let onCaller = CompletionFlag()
    let waiter = CompletionWaiter()
    // An invalid I/O is refused before any syscall: the most tempting case to complete inline.
    device.write(buffer.readOnly, at: 7) { result in
      onCaller.set(pthread_equal(pthread_self(), caller) != 0)
      waiter.finish(result)
    }
    _ = waiter.wait()
    #expect(onCaller.value == false)
  }

  @Test(arguments: DeviceUnderTest.allCases)
  func closeFromACompletionNeitherDeadlocksNorCrashes(kind: DeviceUnderTest) throws {
    let directory = TemporaryDirectory()
    defer { directory.remove() }
    let device = try kind.open(directory: directory.path)
    let buffer = AlignedBuffer(byteCount: 4096)
    let waiter = CompletionWaiter()
    // As when the last reference to a device is dropped inside one of its completions.
    device.write(buffer.readOnly, at: 0) { result in
      device.close()
      waiter.finish(result)
    }
    #expect(try waiter.wait().get() == 4096)
    device.close()
    #expect(device.writeAndWait(buffer, at: 0).error?.kind == .closed)
  }

  @Test(arguments: DeviceUnderTest.allCases)
  func ioAfterCloseFailsWithClosed(kind: DeviceUnderTest) throws {
    let directory = TemporaryDirectory()
    defer { directory.remove() }
    let device = try kind.open(directory: directory.path)
    device.close()
    let buffer = AlignedBuffer(byteCount: 4096)
    #expect(device.writeAndWait(buffer, at: 0).error?.kind == .closed)
    #expect(device.readAndWait(buffer, at: 0).error?.kind == .closed)
  }

  @Test(arguments: DeviceUnderTest.allCases)
  func readingPastTheEndOfASegmentFileIsAShortTransfer(kind: DeviceUnderTest) throws {
    let directory = TemporaryDirectory()
    defer { directory.remove() }
    let device = try kind.open(directory: directory.path)
    defer { device.close() }
    let buffer = AlignedBuffer(byteCount: 4096)
    _ = try device.writeAndWait(buffer, at: 0).get()
    try device.flush()
    let error = device.readAndWait(buffer, at: 8192).error
    #expect(error?.kind == .shortTransfer)
    #expect(error?.message.contains("end of file") == true)
  }

  @Test(arguments: DeviceUnderTest.allCases)
  func aShortReadIsRetriedForTheRemainderBeforeReportingEndOfFile(kind: DeviceUnderTest) throws {
    let directory = TemporaryDirectory()
    defer { directory.remove() }
    let device = try kind.open(directory: directory.path)
    defer { device.close() }
    let small = AlignedBuffer(byteCount: 4096)
    small.fill(tag: 6)
    _ = try device.writeAndWait(small, at: 0).get()
    try device.flush()
    // The first pread/CQE returns 4096 of 8192; the remainder is resubmitted and hits end of file.
    let large = AlignedBuffer(byteCount: 8192)
    let error = try #require(device.readAndWait(large, at: 0).error)
    #expect(error.kind == .shortTransfer)
    #expect(error.message.contains("at offset 4096: end of file with 4096 bytes still wanted"), "\(error)")
    #expect(large.matches(tag: 6, range: 0..<4096))
  }

  @Test(arguments: DeviceUnderTest.allCases)
  func readingASegmentNeverWrittenIsFileMissing(kind: DeviceUnderTest) throws {
    let directory = TemporaryDirectory()
    defer { directory.remove() }
    let device = try kind.open(directory: directory.path)
    defer { device.close() }
    let buffer = AlignedBuffer(byteCount: 4096)
    let error = device.readAndWait(buffer, at: 3 * DeviceUnderTest.segmentSizeBytes).error
    #expect(error?.kind == .fileMissing)
    #expect(error?.errorNumber == ENOENT)
    #expect(error?.message.contains("log.3") == true)
  }
}

/// A Bool set from a completion thread and read by the test.
final class CompletionFlag: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: Bool?
  func set(_ value: Bool) { lock.withLock { stored = value } }
  var value: Bool? { lock.withLock { stored } }
}
