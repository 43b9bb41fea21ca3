import FasterStorage
import FasterTestSupport
import Foundation
import Testing

@testable import FasterCore

/// FasterLog over every device kind: enqueue, commit, reopen, read, scan, truncate.
@Suite struct FasterLogTests {
  /// Enqueues `count` entries of seeded random lengths; returns (address, payload) pairs.
  func enqueueEntries(
    _ log: FasterLog, count: Int, first: Int = 0, random: inout TestRandom
  ) throws -> [(Address, [UInt8])] {
    var written: [(Address, [UInt8])] = []
    for index in first..<(first + count) {
      let payload = logPayload(index, length: random.next(below: 700))
      written.append((try log.enqueue(payload), payload))
    }
    return written
  }

  func expectEntries(_ log: FasterLog, _ written: [(Address, [UInt8])]) throws {
    let entries = try allEntries(log)
    #expect(entries.count == written.count)
    for (entry, (address, payload)) in zip(entries, written) {
      #expect(entry.address == address)
      #expect(entry.bytes == payload)
    }
    for (address, payload) in written { #expect(try log.read(at: address) == payload) }
  }

  @Test(arguments: LogTestDevice.allCases)
  func entriesSurviveCommitAndReopenByteForByte(device kind: LogTestDevice) throws {
    var random = TestRandom(seed: testSeed("entriesSurviveCommitAndReopen(\(kind))"))
    let directory = TemporaryDirectory("log-roundtrip")
    var written: [(Address, [UInt8])] = []
    do {
      let device = try kind.open(directory)
      let log = try FasterLog(settings: smallLogSettings(directory), device: device)
      #expect(log.recoveryReport.commitSequence == nil)
      written = try enqueueEntries(log, count: 300, random: &random)
      try log.commit(wait: true)
      #expect(log.committedUntilAddress == log.tailAddress)
      #expect(log.headAddress > Address.firstValid, "some entries are read back from the device")
      try expectEntries(log, written)
      log.close()
      device.close()
    }
    do {
      let device = try kind.open(directory)
      let log = try FasterLog(settings: smallLogSettings(directory), device: device)
      #expect(log.recoveryReport.isClean)
      #expect(log.recoveryReport.commitSequence == 1)
      try expectEntries(log, written)
      written += try enqueueEntries(log, count: 100, first: 300, random: &random)
      try log.commit(wait: true)
      log.close()
      device.close()
    }
    let device = try kind.open(directory)
    defer { device.close() }
    let log = try FasterLog(settings: smallLogSettings(directory), device: device)
    defer { log.close() }
    #expect(log.recoveryReport.isClean)
    try expectEntries(log, written)
  }

  @Test(arguments: LogTestDevice.allCases)
  func nothingPastTheLastCommitIsExposedAfterReopen(device kind: LogTestDevice) throws {
    var random = TestRandom(seed: testSeed("nothingPastTheLastCommit(\(kind))"))
    let directory = TemporaryDirectory("log-uncommitted")
    var committed: [(Address, [UInt8])] = []
    do {
      let device = try kind.open(directory)
      let log = try FasterLog(settings: smallLogSettings(directory), device: device)
      committed = try enqueueEntries(log, count: 50, random: &random)
      try log.commit(wait: true)
      _ = try enqueueEntries(log, count: 50, first: 50, random: &random)
      try log.hybridLog.flushAndWait(durable: false)  // on the device, but not committed
      #expect(log.flushedUntilAddress > log.committedUntilAddress)
      #expect(throws: FasterLogError.self) { try log.read(at: log.committedUntilAddress) }
      log.close()
      device.close()
    }
    let device = try kind.open(directory)
    defer { device.close() }
    let log = try FasterLog(settings: smallLogSettings(directory), device: device)
    defer { log.close() }
    try expectEntries(log, committed)
    // New entries continue at the committed tail, over the uncommitted bytes.
    let more = try enqueueEntries(log, count: 20, first: 1_000, random: &random)
    #expect(more.first?.0 == log.recoveryReport.committedUntil || more.first!.0.offset(pageSizeBits: 12) == 0)
    try log.commit(wait: true)
    try expectEntries(log, committed + more)
  }

  @Test func aBatchIsOneContiguousGroup() throws {
    let directory = TemporaryDirectory("log-batch")
    let device = try LogTestDevice.file.open(directory)
    defer { device.close() }
    let log = try FasterLog(settings: smallLogSettings(directory), device: device)
    defer { log.close() }
    _ = try log.enqueue(logPayload(0, length: 4000))  // most of the first page
    let batch = (1...5).map { logPayload($0, length: 100 * $0) }
    let first = try log.enqueue(batch: batch)
    #expect(first.offset(pageSizeBits: 12) == 0, "the group did not fit behind the first entry: a new page")
    try log.commit(wait: true)
    let entries = try allEntries(log)
    #expect(entries.count == 6)
    var expected = first
    for (entry, payload) in zip(entries.dropFirst(), batch) {
      #expect(entry.address == expected)
      #expect(entry.bytes == payload)
      expected = Address(
        expected.rawValue + UInt64(LogEntryFormat.storedSize(ofPayloadLength: payload.count)))
    }
    #expect(throws: FasterLogError.self) {
      try log.enqueue(batch: [logPayload(0, length: 3000), logPayload(1, length: 3000)])
    }
  }

  @Test func anEntryLargerThanAPageIsRefused() throws {
    let directory = TemporaryDirectory("log-large")
    let device = try LogTestDevice.file.open(directory)
    defer { device.close() }
    let log = try FasterLog(settings: smallLogSettings(directory), device: device)
    defer { log.close() }
    #expect(log.maximumPayloadLength == 4096 - 72)
    #expect(throws: FasterLogError.entryTooLarge(length: 4096, maximum: 4096 - 72)) {
      try log.enqueue([UInt8](repeating: 1, count: 4096))
    }
    let largest = try log.enqueue([UInt8](repeating: 2, count: log.maximumPayloadLength))
    try log.commit(wait: true)
    #expect(try log.read(at: largest).count == log.maximumPayloadLength)
  }

  @Test func tryEnqueueSaysFullInsteadOfWaiting() throws {
    let directory = TemporaryDirectory("log-full")
    let device = ManualCompletionDevice(alignment: 512)  // writes never complete on their own
    let log = try FasterLog(settings: smallLogSettings(directory), device: device)
    var accepted = 0
    while accepted < 100, try log.tryEnqueue(logPayload(accepted, length: 500)) != nil { accepted += 1 }
    #expect(accepted > 10 && accepted < 40, "a 16 KiB buffer holds about 32 entries of 508 bytes")
    for _ in 0..<200 {  // complete the flushes in flight (and those they release) before closing
      for write in device.takeAll() { write.succeed() }
      usleep(500)
    }
    log.close()
  }

  @Test func readsBelowBeginAndPastTheCommittedTailAreRefused() throws {
    let directory = TemporaryDirectory("log-bounds")
    let device = try LogTestDevice.file.open(directory)
    defer { device.close() }
    let log = try FasterLog(settings: smallLogSettings(directory), device: device)
    defer { log.close() }
    let first = try log.enqueue(logPayload(0, length: 10))
    let second = try log.enqueue(logPayload(1, length: 10))
    #expect(throws: FasterLogError.notCommitted(address: first.rawValue, committedUntil: 64)) {
      try log.read(at: first)
    }
    try log.commit(wait: true)
    try log.truncate(until: second)
    #expect(throws: FasterLogError.truncated(address: first.rawValue, begin: second.rawValue)) {
      try log.read(at: first)
    }
    #expect(try log.read(at: second) == logPayload(1, length: 10))
    #expect(throws: FasterLogError.self) { try log.read(at: Address(second.rawValue + 4)) }
  }

  @Test(arguments: LogTestDevice.allCases)
  func truncationDeletesWholeSegmentsAfterTheNextCommit(device kind: LogTestDevice) throws {
    var random = TestRandom(seed: testSeed("truncation(\(kind))"))
    let directory = TemporaryDirectory("log-truncate")
    var written: [(Address, [UInt8])] = []
    var cut = Address.firstValid
    do {
      let device = try kind.open(directory, segmentSize: 1 << 14)  // 4 pages per segment
      let log = try FasterLog(settings: smallLogSettings(directory), device: device)
      written = try enqueueEntries(log, count: 400, random: &random)
      try log.commit(wait: true)
      #expect(FileManager.default.fileExists(atPath: directory.path + "/log.0"))
      let keep = written.count / 2
      cut = written[keep].0
      try log.truncate(until: cut)
      #expect(log.beginAddress == cut)
      #expect(FileManager.default.fileExists(atPath: directory.path + "/log.0"), "not before the commit")
      try log.commit(wait: true)
      #expect(!FileManager.default.fileExists(atPath: directory.path + "/log.0"))
      let lastDeleted = cut.rawValue / (1 << 14)
      #expect(FileManager.default.fileExists(atPath: directory.path + "/log.\(lastDeleted)"))
      written = Array(written[keep...])
      try expectEntries(log, written)
      log.close()
      device.close()
    }
    let device = try kind.open(directory, segmentSize: 1 << 14)
    defer { device.close() }
    let log = try FasterLog(settings: smallLogSettings(directory), device: device)
    defer { log.close() }
    #expect(log.beginAddress == cut)
    try expectEntries(log, written)
  }

  @Test func aNullDeviceLogWorksInMemory() throws {
    let directory = TemporaryDirectory("log-null")
    var options = DeviceOptions(directory: directory.path)
    options.segmentSizeBytes = 1 << 16
    let device = try Devices.open(.null, options: options, log: { _ in })
    defer { device.close() }
    var settings = smallLogSettings(directory)
    settings.log.memoryBytes = 1 << 16
    let log = try FasterLog(settings: settings, device: device)
    defer { log.close() }
    var addresses: [Address] = []
    for index in 0..<20 { addresses.append(try log.enqueue(logPayload(index, length: 100))) }
    try log.commit(wait: true)
    for (index, address) in addresses.enumerated() {
      #expect(try log.read(at: address) == logPayload(index, length: 100))
    }
    #expect(try allEntries(log).count == 20)
  }
}
