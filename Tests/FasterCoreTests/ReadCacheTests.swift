import FasterStorage
import FasterTestSupport
import Foundation
import Testing

@testable import FasterCore

/// Disk-tier options with a read cache of `cachePages` 4 KiB pages.
func readCacheOptions(logBytes: Int = 1 << 16, cachePages: Int = 16, secondChance: Double = 0.1)
  -> FasterKVOptions
{
  var options = diskOptions(logBytes: logBytes)
  options.readCache = ReadCacheSettings(
    memoryBytes: cachePages << 12, pageSizeBytes: 1 << 12, secondChanceFraction: secondChance)
  return options
}

/// The read cache (`ReadCache`): a record read back from the device is served from memory
/// the next time, an update never lets a stale copy be read, and compaction, checkpoints
/// and recovery see through cached records.
@Suite struct ReadCacheTests {
  typealias Store = FixedSizeStore<UInt64, UInt64>

  /// Writes `keys` keys and pushes every record out of memory.
  func makeEvictedStore(_ device: any StorageDevice, keys: UInt64, options: FasterKVOptions) throws -> Store {
    let store = try Store(options: options, device: device)
    let session = try store.newSession()
    for key in 0..<keys { #expect(session.upsert(key, key &* 3) == .ok) }
    try evictEverything(store, session)
    session.end()
    return store
  }

  /// Flushes the log and moves the head to the tail's page: every record but those of
  /// the last page is on the device only.
  func evictEverything(_ store: Store, _ session: FasterSession<FixedSizeRecord<UInt64, UInt64>>) throws {
    session.suspend()
    try store.flushLog(durable: false)
    store.shiftHeadAddress(to: store.tailAddress)
    store.lightEpoch.drainAll()
    #expect(
      store.tailAddress.rawValue - store.headAddress.rawValue < 1 << 12, "all but the last page evicted")
  }

  func deviceReads(_ store: Store) -> UInt64 { store.statistics.deviceStatistics?.reads ?? 0 }

  @Test(arguments: TestDevice.allCases)
  func aSecondReadOfAnEvictedKeyIsServedFromMemory(device kind: TestDevice) throws {
    let directory = TemporaryDirectory("rc-hit")
    let device = try kind.open(directory)
    defer { device.close() }
    let store = try makeEvictedStore(device, keys: 2_000, options: readCacheOptions())
    let session = try store.newSession()
    defer { session.end() }
    for key: UInt64 in [5, 700, 1_500] {
      var value: UInt64 = 0
      #expect(session.read(key, into: &value) == .pending, "first read of \(key) goes to the device")
      let result = session.completePendingWithResults(wait: true).first
      #expect(result?.status == .ok && result?.value == key &* 3)
      let readsBefore = deviceReads(store)
      value = 0
      #expect(session.read(key, into: &value) == .ok, "second read of \(key) is served from memory")
      #expect(value == key &* 3)
      #expect(deviceReads(store) == readsBefore, "no device read for the cached key")
    }
    let statistics = try #require(store.statistics.readCache)
    #expect(statistics.inserts == 3)
    #expect(statistics.hits == 3)
    #expect(store.invariantViolations() == [])
  }

  @Test func withoutTheReadCacheEveryReadGoesToTheDevice() throws {
    let directory = TemporaryDirectory("rc-off")
    let device = try TestDevice.uring.open(directory)
    defer { device.close() }
    let store = try makeEvictedStore(device, keys: 2_000, options: diskOptions())
    let session = try store.newSession()
    defer { session.end() }
    var value: UInt64 = 0
    for _ in 0..<2 {
      #expect(session.read(77, into: &value) == .pending)
      #expect(session.completePendingWithResults(wait: true).first?.value == 77 * 3)
    }
    #expect(store.statistics.readCache == nil)
  }

  /// Upsert, RMW and delete of a cached key: the next read sees the update (never the
  /// cached copy), also after the update itself went to the device.
  @Test(arguments: TestDevice.allCases)
  func anUpdateInvalidatesTheCachedCopy(device kind: TestDevice) throws {
    let directory = TemporaryDirectory("rc-invalidate")
    let device = try kind.open(directory)
    defer { device.close() }
    let store = try makeEvictedStore(device, keys: 2_000, options: readCacheOptions())
    let session = try store.newSession()
    defer { session.end() }
    func cache(_ key: UInt64) {
      var value: UInt64 = 0
      if session.read(key, into: &value) == .pending { _ = session.completePendingWithResults(wait: true) }
      #expect(session.read(key, into: &value) == .ok, "\(key) is cached")
    }
    for key: UInt64 in [10, 11, 12] { cache(key) }
    #expect(session.upsert(10, 1_010) == .ok)
    #expect(session.rmw(11, AddUpdate(delta: 5)) == .ok, "the RMW updates the cached copy in memory")
    #expect(session.delete(12) == .ok)
    #expect(readValueWaiting(session, 10) == 1_010)
    #expect(readValueWaiting(session, 11) == 11 * 3 + 5)
    #expect(readValueWaiting(session, 12) == nil)
    // Push the updates to the device too (behind other records), then read them back
    // (and cache them) again.
    for key: UInt64 in 5_000..<5_400 { #expect(session.upsert(key, key) == .ok) }
    try evictEverything(store, session)
    for _ in 0..<2 {
      #expect(readValueWaiting(session, 10) == 1_010)
      #expect(readValueWaiting(session, 11) == 11 * 3 + 5)
      #expect(readValueWaiting(session, 12) == nil)
    }
    #expect(store.invariantViolations() == [])
  }

  /// Reads of many more keys than the cache holds: its head keeps moving, and every
  /// read still returns the right value (evicted entries fall back to the device).
  @Test(arguments: [0.0, 0.5])
  func evictionFromTheReadCacheLosesNothing(secondChance: Double) throws {
    let directory = TemporaryDirectory("rc-evict")
    let device = try TestDevice.uring.open(directory)
    defer { device.close() }
    let keys: UInt64 = 6_000
    let store = try makeEvictedStore(
      device, keys: keys, options: readCacheOptions(cachePages: 4, secondChance: secondChance))
    let session = try store.newSession()
    defer { session.end() }
    var random = TestRandom(seed: testSeed("evictionFromTheReadCacheLosesNothing(\(secondChance))"))
    for step in 0..<20_000 {
      let key =
        random.next(below: 4) == 0 ? UInt64(random.next(below: 20)) : UInt64(random.next(below: Int(keys)))
      #expect(readValueWaiting(session, key) == key &* 3, "step \(step): key \(key)")
    }
    let statistics = try #require(store.statistics.readCache)
    #expect(statistics.headAddress > Address.firstValid.rawValue, "the cache evicted pages")
    #expect(statistics.evictedEntries > 0)
    #expect(statistics.hits > 1_000, "the 20 hot keys were served from memory")
    if secondChance > 0 { #expect(statistics.secondChanceCopies > 0) }
    #expect(store.invariantViolations() == [])
  }

  @Test(arguments: [CompactionMethod.lookup, .scan])
  func compactionWithCachedRecordsKeepsEveryKey(method: CompactionMethod) throws {
    let directory = TemporaryDirectory("rc-compact")
    let device = try TestDevice.uring.open(directory)
    defer { device.close() }
    let keys: UInt64 = 3_000
    let store = try makeEvictedStore(device, keys: keys, options: readCacheOptions(cachePages: 64))
    let session = try store.newSession()
    // Cache a third of the keys, update another third (stale versions to drop).
    for key in stride(from: 0, to: keys, by: 3) { _ = readValueWaiting(session, key) }
    for key in stride(from: 1, to: keys, by: 3) { #expect(session.upsert(key, key &* 5) == .ok) }
    #expect((store.statistics.readCache?.inserts ?? 0) > 900)
    let until = store.headAddress
    session.suspend()
    let report = try store.compact(until: until, method: method)
    #expect(report.recordsCopied > 0)
    for key: UInt64 in 5_000..<5_400 { #expect(session.upsert(key, key) == .ok) }
    try evictEverything(store, session)
    for key in 0..<keys {
      let expected = key % 3 == 1 ? key &* 5 : key &* 3
      #expect(readValueWaiting(session, key) == expected, "key \(key)")
      #expect(readValueWaiting(session, key) == expected, "key \(key), second read")
    }
    session.end()
    #expect(store.invariantViolations() == [])
  }

  /// A checkpoint taken while entries point into the read cache: the index file holds
  /// main-log addresses only, and the recovered store reads every key.
  @Test(arguments: [CheckpointKind.foldOver, .snapshot])
  func checkpointAndRecoveryWithCachedRecords(kind: CheckpointKind) throws {
    let directory = TemporaryDirectory("rc-checkpoint")
    var options = readCacheOptions(cachePages: 64)
    options.checkpointDirectory = directory.path + "/checkpoints"
    let keys: UInt64 = 3_000
    do {
      let device = try TestDevice.uring.open(directory)
      let store = try makeEvictedStore(device, keys: keys, options: options)
      let session = try store.newSession(name: "reader")
      for key in 0..<keys where key % 2 == 0 { _ = readValueWaiting(session, key) }
      #expect((store.statistics.readCache?.inserts ?? 0) > keys / 3, "entries point into the read cache")
      session.suspend()
      _ = try store.checkpointAndWait(CheckpointRequest(kind: kind))
      session.end()
      device.close()
    }
    let device = try TestDevice.uring.open(directory)
    defer { device.close() }
    var recoveredOptions = options
    recoveredOptions.readCache = nil
    let store = try Store(recoveringWith: recoveredOptions, device: device)
    #expect(store.invariantViolations() == [], "no recovered entry points into a read cache")
    let session = try store.newSession()
    for key in 0..<keys { #expect(readValueWaiting(session, key) == key &* 3, "key \(key)") }
    session.end()
  }

  @Test func badReadCacheSettingsAreRejectedByName() {
    var options = readCacheOptions()
    options.readCache?.memoryBytes = 3 << 12
    #expect(throws: FasterError.self) { try options.validate() }
    do {
      try options.validate()
    } catch {
      #expect("\(error)".contains("readCache.memoryBytes"))
    }
    options = readCacheOptions()
    options.readCache?.secondChanceFraction = 1
    #expect(throws: FasterError.self) { try options.validate() }
    options = readCacheOptions()
    options.readCache?.pageSizeBytes = 1000
    #expect(throws: FasterError.self) { try options.validate() }
  }
}
