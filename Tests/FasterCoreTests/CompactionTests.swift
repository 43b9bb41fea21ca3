import FasterStorage
import FasterTestSupport
import Foundation
import Testing

@testable import FasterCore

/// Reads `key` through the device if need be: the status and value.
func readWaiting(_ session: FasterSession<FixedSizeRecord<UInt64, UInt64>>, _ key: UInt64) -> (
  OperationStatus, UInt64
) {
  var value: UInt64 = 0
  let status = session.read(key, into: &value)
  guard status == .pending else { return (status, value) }
  let result = session.completePendingWithResults(wait: true).first
  return (result?.status ?? .deviceError, result?.value ?? 0)
}

/// The segment files in a device directory.
func segmentFileNames(_ directory: TemporaryDirectory) -> [String] {
  (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
}

/// Number of segment files in a device directory.
func segmentFileCount(_ directory: TemporaryDirectory) -> Int { segmentFileNames(directory).count }

@Suite struct LogScanTests {
  @Test(arguments: [TestDevice.uring, .file])
  func scanSeesEveryRecordAndLiveOnlyTheNewest(device kind: TestDevice) throws {
    let directory = TemporaryDirectory("scan")
    let device = try kind.open(directory, segmentSize: 1 << 16)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(options: diskOptions(), device: device)
    let session = try store.newSession()
    let keys: UInt64 = 8_000  // 192 KB of records over a 64 KB log: most on the device
    for key in 0..<keys { #expect(session.upsert(key, key &* 3) == .ok) }
    makeEverythingReadOnly(store, session: session)
    for key in 0..<keys / 2 { #expect(session.upsert(key, key &* 5) == .ok) }
    for key in keys / 2..<keys / 2 + 10 { #expect(session.delete(key) == .ok) }
    session.suspend()
    #expect(store.headAddress > Address.firstValid)

    var all = 0
    var tombstones = 0
    var lastAddress = Address.invalid
    var belowHead = 0
    let head = store.headAddress
    try store.scan { record in
      #expect(record.address > lastAddress, "address order")
      lastAddress = record.address
      if record.address < head { belowHead += 1 }
      if record.isTombstone { tombstones += 1 }
      all += 1
      return true
    }
    #expect(all == Int(keys + keys / 2 + 10))
    #expect(tombstones == 10)
    #expect(belowHead > 4_000, "the scan read the device")

    var live: [UInt64: UInt64] = [:]
    try store.scan(liveOnly: true) { record in
      let key: UInt64 = record.key()
      #expect(live[key] == nil, "key \(key) seen twice")
      live[key] = record.value()
      return true
    }
    #expect(live.count == Int(keys - 10))
    for key in 0..<keys {
      if key < keys / 2 {
        #expect(live[key] == key &* 5)
      } else if key < keys / 2 + 10 {
        #expect(live[key] == nil)
      } else {
        #expect(live[key] == key &* 3)
      }
    }

    // A bounded range, stopped early.
    var seen = 0
    try store.scan(from: Address.firstValid, until: Address(1 << 13)) { _ in
      seen += 1
      return seen < 5
    }
    #expect(seen == 5)
    #expect(throws: ScanError.self) { try store.scan(from: Address(65)) { _ in true } }
  }

  @Test func variableLengthScanHandsOutKeysAndValues() throws {
    let directory = TemporaryDirectory("scan-bytes")
    let device = try TestDevice.file.open(directory, segmentSize: 1 << 16)
    defer { device.close() }
    let store = try VariableLengthStore(options: diskOptions(), device: device)
    let session = try store.newSession()
    for number in 0..<3_000 {
      let key = TestBytes.key(number)
      let value = TestBytes.make(UInt64(number))
      key.withUnsafeBytes { k in value.withUnsafeBytes { v in _ = session.upsert(key: k, value: v) } }
    }
    session.suspend()
    var found: [String: UInt64] = [:]
    try store.scan(liveOnly: true) { record in
      found[String(decoding: record.keyBytes, as: UTF8.self)] = TestBytes.decode(record.valueBytes)
      return true
    }
    #expect(found.count == 3_000)
    for number in 0..<3_000 { #expect(found["key-\(number)"] == UInt64(number)) }
  }
}

@Suite struct CompactionTests {
  @Test(arguments: [TestDevice.uring, .file, .uringFallback], CompactionMethod.allCases)
  func compactedStoreMatchesADictionary(device kind: TestDevice, method: CompactionMethod) throws {
    let name = "compactedStoreMatchesADictionary(\(kind),\(method))"
    var random = TestRandom(seed: testSeed(name))
    let directory = TemporaryDirectory("compact-model")
    let device = try kind.open(directory, segmentSize: 1 << 16)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(options: diskOptions(), device: device)
    let session = try store.newSession()
    var model: [UInt64: UInt64] = [:]
    let keySpace = 3_000
    var compactions = 0
    for step in 0..<60_000 {
      let key = UInt64(random.next(below: keySpace))
      switch random.next(below: 10) {
      case 0..<3:
        let (status, value) = readWaiting(session, key)
        if let expected = model[key] {
          #expect(status == .ok && value == expected, "step \(step): read \(key) -> \(status)")
        } else {
          #expect(status == .notFound, "step \(step): read \(key) -> \(status)")
        }
      case 3..<6:
        let value = random.next()
        #expect(session.upsert(key, value) == .ok)
        model[key] = value
      case 6..<9:
        let delta = UInt64(random.next(below: 100))
        var status = session.rmw(key, AddUpdate(delta: delta))
        if status == .pending {
          status = session.completePendingWithResults(wait: true).first?.status ?? .deviceError
        }
        #expect(status == .ok, "step \(step): rmw \(key) -> \(status)")
        model[key] = (model[key] ?? 0) &+ delta
      default:
        _ = session.delete(key)
        model[key] = nil
      }
      if step % 5_000 == 4_999 {
        session.suspend()
        let report = try store.compact(until: store.headAddress, method: method)
        #expect(report.beginAfter == store.statistics.beginAddress.address)
        if report.bytesReclaimed > 0 { compactions += 1 }
        #expect(
          report.recordsCopied + report.recordsSuperseded + report.tombstonesDropped == report.recordsScanned)
      }
    }
    #expect(compactions >= 8)
    // Every compaction gave its epoch entry back: all but the session's are free.
    let others = (0..<16).compactMap { _ in try? store.lightEpoch.acquireSlot() }
    #expect(others.count == 15)
    others.forEach { store.lightEpoch.releaseSlot($0) }
    let stats = store.statistics
    #expect(stats.beginAddress > Address.firstValid.rawValue)
    #expect(stats.compaction.compactions == UInt64(compactions))
    // Bounded: the live data is 3,000 records of 24 bytes; the log on the device stays
    // within a few times what 5,000 steps write, not the 60,000 steps' total.
    #expect(stats.deviceLogBytes < 6 * 5_000 * 24 + 4 * 65_536, "device log \(stats.deviceLogBytes) bytes")
    #expect(segmentFileCount(directory) <= 12, "segments below the begin were deleted")
    for key in 0..<UInt64(keySpace) {
      let (status, value) = readWaiting(session, key)
      if let expected = model[key] {
        #expect(status == .ok && value == expected, "final read \(key)")
      } else {
        #expect(status == .notFound, "final read \(key) -> \(status)")
      }
    }
    var live = 0
    try store.scan(liveOnly: true) { record in
      let key: UInt64 = record.key()
      #expect(model[key] == record.value(), "live record of \(key)")
      live += 1
      return true
    }
    #expect(live == model.count)
  }

  @Test(arguments: CompactionMethod.allCases)
  func deletedKeyStaysDeletedAfterCompaction(method: CompactionMethod) throws {
    let directory = TemporaryDirectory("compact-delete")
    let device = try TestDevice.file.open(directory, segmentSize: 1 << 16)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(options: diskOptions(), device: device)
    let session = try store.newSession()
    #expect(session.upsert(7, 70) == .ok)
    #expect(session.upsert(8, 80) == .ok)
    makeEverythingReadOnly(store, session: session)
    #expect(session.upsert(7, 71) == .ok)
    #expect(session.delete(8) == .ok)
    for key in 100..<6_000 as Range<UInt64> { #expect(session.upsert(key, key) == .ok) }
    session.suspend()
    let report = try store.compact(until: store.headAddress, method: method)
    #expect(report.tombstonesDropped >= 1)
    #expect(report.recordsSuperseded >= 2)
    #expect(readWaiting(session, 8).0 == .notFound)
    #expect(readWaiting(session, 7) == (.ok, 71))
    // A second compaction of everything evicted since: still deleted, still 71.
    for key in 6_000..<12_000 as Range<UInt64> { #expect(session.upsert(key, key) == .ok) }
    session.suspend()
    try store.compact(until: store.headAddress, method: method)
    #expect(readWaiting(session, 8).0 == .notFound)
    #expect(readWaiting(session, 7) == (.ok, 71))
    #expect(readWaiting(session, 100) == (.ok, 100))
  }

  /// A session updates one key and deletes another after compaction found their old
  /// records live and before it published the copies: the copies must lose.
  @Test(arguments: CompactionMethod.allCases)
  func anUpdateDuringCompactionWinsOverTheCompactedCopy(method: CompactionMethod) throws {
    let directory = TemporaryDirectory("compact-race-hook")
    let device = try TestDevice.file.open(directory, segmentSize: 1 << 16)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(options: diskOptions(), device: device)
    let session = try store.newSession()
    for key in 0..<6_000 as Range<UInt64> { #expect(session.upsert(key, key) == .ok) }
    session.suspend()
    let racer = try store.newSession()
    racer.suspend()
    nonisolated(unsafe) let racing = racer
    store.compactionRaceHook.withLock {
      $0 = { keyBytes in
        let key = keyBytes.loadUnaligned(as: UInt64.self)
        if key == 10 { _ = racing.upsert(10, 1_010) }
        if key == 11 { _ = racing.delete(11 as UInt64) }
        if key == 12 { _ = racing.rmw(12, AddUpdate(delta: 5)) }
        racing.completePending(wait: true)
        racing.suspend()
      }
    }
    let report = try store.compact(until: store.headAddress, method: method)
    #expect(report.copyRaces >= 3, "the hook raced three copies")
    #expect(readWaiting(session, 10) == (.ok, 1_010))
    #expect(readWaiting(session, 11).0 == .notFound)
    #expect(readWaiting(session, 12) == (.ok, 17))
    #expect(readWaiting(session, 13) == (.ok, 13))
    racer.end()
  }

  @Test func compactionNeedsADevice() throws {
    let store = try FixedSizeStore<UInt64, UInt64>(options: smallOptions())
    #expect(throws: ScanError.self) { try store.compact(until: store.tailAddress) }
  }

  @Test func compactionBelowTheBeginMovesNothing() throws {
    let directory = TemporaryDirectory("compact-nothing")
    let device = try TestDevice.file.open(directory)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(options: diskOptions(), device: device)
    let report = try store.compact(until: Address.firstValid)
    #expect(report.bytesReclaimed == 0)
    #expect(store.statistics.compaction.compactions == 0)
  }
}

@Suite struct AutoCompactionTests {
  /// Runs an update-heavy loop over `keys` keys with the policy on; returns the store's
  /// statistics at the end, after checking every key, and the largest device log seen.
  func runUpdates(policy: AutoCompactionPolicy, keys: UInt64, steps: Int, name: String) throws -> (
    FasterKVStatistics, UInt64
  ) {
    let directory = TemporaryDirectory("auto-compact")
    let device = try TestDevice.file.open(directory, segmentSize: 1 << 16)
    defer { device.close() }
    var options = diskOptions()
    options.autoCompaction = policy
    let store = try FixedSizeStore<UInt64, UInt64>(options: options, device: device)
    let session = try store.newSession()
    var random = TestRandom(seed: testSeed(name))
    var model: [UInt64: UInt64] = [:]
    var maximumDeviceBytes: UInt64 = 0
    for step in 0..<steps {
      let key = UInt64(random.next(below: Int(keys)))
      let value = random.next()
      #expect(session.upsert(key, value) == .ok)
      model[key] = value
      if step % 64 == 0 { session.refresh() }
      if step % 1_000 == 0 {
        maximumDeviceBytes = max(maximumDeviceBytes, store.statistics.deviceLogBytes)
        session.suspend()
        usleep(200)  // lets the compactor's epoch waits finish on a busy machine
      }
    }
    for key in 0..<keys {
      let (status, value) = readWaiting(session, key)
      #expect(status == .ok && value == model[key], "key \(key)")
    }
    session.end()
    return (store.statistics, maximumDeviceBytes)
  }

  @Test func theSizeTriggerKeepsTheDeviceLogBounded() throws {
    var policy = AutoCompactionPolicy(maxDeviceLogBytes: 256 << 10)
    policy.checkIntervalMilliseconds = 2
    let (statistics, maximumDeviceBytes) = try runUpdates(
      policy: policy, keys: 2_000, steps: 150_000, name: "theSizeTriggerKeepsTheDeviceLogBounded")
    #expect(maximumDeviceBytes < 2 << 20, "device log peaked at \(maximumDeviceBytes)")
    // 150,000 upserts of 24 bytes would be 3.6 MB of log; live data is 48 KB.
    #expect(statistics.compaction.automaticCompactions >= 3)
    #expect(statistics.beginAddress > 1 << 20)
    #expect(statistics.deviceLogBytes < 1 << 20, "device log \(statistics.deviceLogBytes)")
    #expect(statistics.compaction.lastError == nil)
  }

  /// `close()` joins the compaction thread: no automatic compaction runs after it, even
  /// with the log far over the trigger, and sessions keep working.
  @Test func closeStopsAutomaticCompactionAndWaitsForIt() throws {
    let directory = TemporaryDirectory("auto-compact-close")
    let device = try TestDevice.file.open(directory, segmentSize: 1 << 16)
    defer { device.close() }
    var options = diskOptions()
    var policy = AutoCompactionPolicy(maxDeviceLogBytes: 128 << 10)
    policy.checkIntervalMilliseconds = 1
    options.autoCompaction = policy
    let store = try FixedSizeStore<UInt64, UInt64>(options: options, device: device)
    let session = try store.newSession()
    func write(_ rounds: UInt64) {
      for round in 0..<rounds {
        for key in 0..<UInt64(4_000) { #expect(session.upsert(key, key &+ round) == .ok) }
        session.suspend()
        usleep(2_000)
      }
    }
    write(6)
    var waited = 0
    while store.compactionStatistics.automaticCompactions == 0 && waited < 2_000 {
      usleep(1_000)
      waited += 1
    }
    #expect(store.compactionStatistics.automaticCompactions > 0, "the policy never ran")
    store.close()
    let runsAtClose = store.compactionStatistics.automaticCompactions
    let beginAtClose = store.statistics.beginAddress
    write(6)  // 4,000 keys * 24 bytes * 6 rounds: several times the trigger
    usleep(50_000)
    #expect(store.compactionStatistics.automaticCompactions == runsAtClose)
    #expect(store.statistics.beginAddress == beginAtClose)
    #expect(store.statistics.deviceLogBytes > 128 << 10)
    store.close()  // idempotent
    for key in 0..<UInt64(4_000) { #expect(readWaiting(session, key) == (.ok, key &+ 5)) }
    session.end()
  }

  @Test func theLiveFractionTriggerCompactsAMostlyDeadLog() throws {
    var policy = AutoCompactionPolicy(minLiveFraction: 0.5)
    policy.checkIntervalMilliseconds = 2
    policy.minDeviceLogBytes = 64 << 10
    policy.sampleRecords = 200
    let (statistics, _) = try runUpdates(
      policy: policy, keys: 2_000, steps: 150_000, name: "theLiveFractionTriggerCompactsAMostlyDeadLog")
    #expect(statistics.compaction.automaticCompactions >= 1)
    #expect(statistics.compaction.lastSampledLiveFraction != nil)
    #expect(statistics.beginAddress > Address.firstValid.rawValue)
  }

  @Test func badPoliciesAreRejectedByName() throws {
    var options = diskOptions()
    options.autoCompaction = AutoCompactionPolicy()
    #expect(throws: FasterError.self) { try options.validate() }
    options.autoCompaction = AutoCompactionPolicy(minLiveFraction: 1.5)
    do {
      try options.validate()
      Issue.record("accepted minLiveFraction 1.5")
    } catch {
      #expect(error.description.contains("autoCompaction.minLiveFraction"))
    }
    options.autoCompaction = AutoCompactionPolicy(maxDeviceLogBytes: 1 << 20)
    #expect(throws: FasterError.self) { _ = try FixedSizeStore<UInt64, UInt64>(options: options) }
  }
}

extension UInt64 {
  var address: Address { Address(self) }
}
