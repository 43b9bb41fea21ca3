import FasterStorage
import FasterTestSupport
import Foundation
import Testing

@testable import FasterCore

/// Corruption, torn tails, device failures and simulated crashes: what recovery finds and
/// reports, and that nothing acknowledged is lost.
@Suite struct FasterLogRecoveryTests {
  /// Writes `count` committed entries of 300 bytes to a new log in `directory`.
  func writeCommittedLog(_ directory: TemporaryDirectory, count: Int, commits: Int = 1) throws -> [Address] {
    let device = try LogTestDevice.file.open(directory)
    defer { device.close() }
    let log = try FasterLog(settings: smallLogSettings(directory), device: device)
    defer { log.close() }
    var addresses: [Address] = []
    for index in 0..<count {
      addresses.append(try log.enqueue(logPayload(index, length: 300)))
      if (index + 1) % Swift.max(1, count / commits) == 0 { try log.commit(wait: true) }
    }
    try log.commit(wait: true)
    return addresses
  }

  /// Flips one byte of the file at `path`.
  func flipByte(in path: String, at offset: Int) throws {
    let handle = try #require(FileHandle(forUpdatingAtPath: path))
    defer { try? handle.close() }
    try handle.seek(toOffset: UInt64(offset))
    let byte = try #require(try handle.read(upToCount: 1)?.first)
    try handle.seek(toOffset: UInt64(offset))
    try handle.write(contentsOf: [byte ^ 0x5A])
    try handle.synchronize()
  }

  @Test func aFlippedByteInACommittedEntryCutsTheLogThereAndIsReported() throws {
    let directory = TemporaryDirectory("log-flip-entry")
    let addresses = try writeCommittedLog(directory, count: 40)
    let victim = 25
    try flipByte(in: directory.path + "/log.0", at: Int(addresses[victim].rawValue) + 8 + 100)
    let notices = NoticeRecorder()
    let device = try LogTestDevice.file.open(directory)
    defer { device.close() }
    let log = try FasterLog(settings: smallLogSettings(directory, notices: notices), device: device)
    defer { log.close() }
    #expect(log.recoveryReport.committedUntil == addresses[victim])
    #expect(log.recoveryReport.cutReason?.contains("checksum") == true)
    #expect(notices.notices.contains { $0.contains("cut at \(addresses[victim].rawValue)") })
    let entries = try allEntries(log)
    #expect(entries.map(\.bytes) == (0..<victim).map { logPayload($0, length: 300) })
    #expect(throws: FasterLogError.self) { try log.read(at: addresses[victim]) }
  }

  @Test func aCorruptNewestCommitRecordFallsBackToTheOlderOneAndIsReported() throws {
    let directory = TemporaryDirectory("log-flip-commit")
    _ = try writeCommittedLog(directory, count: 40, commits: 2)
    let records = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter {
      $0.hasPrefix("commit.")
    }
    .sorted()
    #expect(records.count == 2, "the newest two commit records are kept")
    try flipByte(in: directory.path + "/" + records.last!, at: 30)
    let notices = NoticeRecorder()
    let device = try LogTestDevice.file.open(directory)
    let log = try FasterLog(settings: smallLogSettings(directory, notices: notices), device: device)
    #expect(log.recoveryReport.skippedCommitRecords.count == 1)
    #expect(log.recoveryReport.commitSequence == UInt64(records.first!.dropFirst("commit.".count)))
    #expect(notices.notices.contains { $0.contains("skipped commit record") })
    #expect(try allEntries(log).count >= 20)
    log.close()
    device.close()
    // With every record corrupt, opening refuses (it would otherwise start an empty log).
    try flipByte(in: directory.path + "/" + records.first!, at: 30)
    let again = try LogTestDevice.file.open(directory)
    defer { again.close() }
    #expect {
      _ = try FasterLog(settings: smallLogSettings(directory), device: again)
    } throws: { error in
      guard case .corruptCommitRecords = error as? FasterLogError else { return false }
      return true
    }
  }

  @Test func reopeningWithAnotherPageSizeIsRefused() throws {
    let directory = TemporaryDirectory("log-pagesize")
    _ = try writeCommittedLog(directory, count: 5)
    var settings = smallLogSettings(directory)
    settings.log.pageSizeBytes = 1 << 13
    settings.log.memoryBytes = 1 << 15
    let device = try LogTestDevice.file.open(directory)
    defer { device.close() }
    #expect(throws: FasterLogError.self) { _ = try FasterLog(settings: settings, device: device) }
  }

  @Test(arguments: [DeviceError.Kind.diskFull, .fileMissing, .ioError])
  func aFailingDeviceFailsTheCommitAndKeepsWhatWasCommitted(kind: DeviceError.Kind) throws {
    let directory = TemporaryDirectory("log-device-error")
    var acknowledged: [Address] = []
    do {
      let file = try LogTestDevice.file.open(directory)
      let device = FaultInjectingDevice(wrapping: file, seed: 3)
      let log = try FasterLog(settings: smallLogSettings(directory), device: device)
      for index in 0..<30 { acknowledged.append(try log.enqueue(logPayload(index, length: 300))) }
      try log.commit(wait: true)
      device.failNext(kind, reads: false, writes: true, count: 1_000)
      for index in 30..<60 { _ = try? log.enqueue(logPayload(index, length: 300)) }
      #expect {
        try log.commit(wait: true)
      } throws: { error in
        guard case .device(let deviceError) = error as? FasterLogError else { return false }
        return deviceError.kind == kind || deviceError.kind == .injected
      }
      #expect(throws: FasterLogError.self) { try log.enqueue(logPayload(99, length: 10)) }
      #expect(throws: FasterLogError.self) { try log.commit(wait: true) }
      log.close()
      device.close()
    }
    let device = try LogTestDevice.file.open(directory)
    defer { device.close() }
    let log = try FasterLog(settings: smallLogSettings(directory), device: device)
    defer { log.close() }
    let entries = try allEntries(log)
    #expect(entries.map(\.address) == acknowledged)
    #expect(entries.map(\.bytes) == (0..<30).map { logPayload($0, length: 300) })
  }

  @Test func aSimulatedCrashKeepsEveryCommittedEntryAndExposesNothingElse() throws {
    var random = TestRandom(seed: testSeed("FasterLogRecoveryTests.simulatedCrash"))
    let directory = TemporaryDirectory("log-sim-crash")
    var acknowledged: [[UInt8]] = []
    var options = DeviceOptions(directory: directory.path)
    options.segmentSizeBytes = 1 << 16
    options.directIO = false  // 512-byte sectors, so a crash can tear a page write
    for round in 0..<6 {
      let file = try FileDevice(options: options)
      let device = FaultInjectingDevice(wrapping: file, seed: random.next())
      let log = try FasterLog(settings: smallLogSettings(directory), device: device)
      #expect(try allEntries(log).map(\.bytes) == acknowledged, "round \(round)")
      var pending: [[UInt8]] = []
      for index in 0..<random.next(below: 120) {
        let payload = logPayload(round * 1000 + index, length: random.next(below: 500))
        _ = try log.enqueue(payload)
        pending.append(payload)
        if random.next(below: 20) == 0 {
          try log.commit(wait: true)
          acknowledged += pending
          pending = []
        }
      }
      try? log.hybridLog.flushAndWait(durable: false)  // unsynced writes, lost or torn by the crash
      device.simulateCrash(tearingLastWriteAt: random.next(below: 2) == 0 ? 512 : nil)
      log.close()
      device.close()
      file.close()
    }
    let device = try FileDevice(options: options)
    defer { device.close() }
    let log = try FasterLog(settings: smallLogSettings(directory), device: device)
    defer { log.close() }
    #expect(try allEntries(log).map(\.bytes) == acknowledged)
  }
}
