import FasterStorage
import FasterTestSupport
import Foundation
import Testing

@testable import FasterCore

/// The device kinds every disk-tier test runs over: io_uring, the pread/pwrite file
/// device, and io_uring's fallback forced (as it happens where io_uring is refused).
enum TestDevice: String, CaseIterable, CustomTestStringConvertible {
  case uring, file, uringFallback

  var testDescription: String { rawValue }

  func open(_ directory: TemporaryDirectory, segmentSize: UInt64 = 1 << 20) throws -> any StorageDevice {
    var options = DeviceOptions(directory: directory.path)
    options.segmentSizeBytes = segmentSize
    switch self {
    case .uring: return try Devices.open(.uring, options: options, forceFileDevice: false, log: { print($0) })
    case .file: return try Devices.open(.file, options: options, forceFileDevice: false, log: { print($0) })
    case .uringFallback:
      return try Devices.open(.uring, options: options, forceFileDevice: true, log: { print($0) })
    }
  }
}

/// Options for a log far smaller than the data: 16 pages of 4 KiB.
func diskOptions(logBytes: Int = 1 << 16, mutableFraction: Double = 0.5) -> FasterKVOptions {
  smallOptions(indexBytes: 1 << 14, logBytes: logBytes, pageBytes: 1 << 12, mutableFraction: mutableFraction)
}

@Suite struct DiskTierTests {
  @Test(arguments: TestDevice.allCases)
  func evictedRecordsAreReadBackFromTheDevice(device kind: TestDevice) throws {
    let directory = TemporaryDirectory("evicted")
    let device = try kind.open(directory)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(options: diskOptions(), device: device)
    let session = try store.newSession()
    let keys: UInt64 = 20_000  // 480 KB of records over a 64 KB log
    for key in 0..<keys { #expect(session.upsert(key, key &* 3) == .ok) }
    #expect(store.headAddress > Address.firstValid, "the head moved: records were evicted")
    var pendingReads = 0
    for key in 0..<keys {
      var value: UInt64 = 0
      let status = session.read(key, into: &value)
      if status == .pending {
        pendingReads += 1
        let results = session.completePendingWithResults(wait: true)
        #expect(results.count == 1)
        #expect(results.first?.status == .ok)
        #expect(results.first?.value == key &* 3)
      } else {
        #expect(status == .ok && value == key &* 3)
      }
    }
    #expect(pendingReads > 10_000)
    #expect((device.statistics.bytesWritten) > 400_000)
  }

  @Test(arguments: TestDevice.allCases, [false, true])
  func fixedSizeStoreMatchesADictionaryOnDisk(device kind: TestDevice, readCache: Bool) throws {
    var random = TestRandom(seed: testSeed("fixedSizeStoreMatchesADictionaryOnDisk(\(kind), \(readCache))"))
    let directory = TemporaryDirectory("model-fixed")
    let device = try kind.open(directory)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(
      options: readCache ? readCacheOptions(cachePages: 8) : diskOptions(), device: device)
    let session = try store.newSession()
    var model: [UInt64: UInt64] = [:]
    var pendingCount = 0
    let keySpace = 6_000
    for step in 0..<40_000 {
      let key = UInt64(random.next(below: keySpace))
      switch random.next(below: 10) {
      case 0..<3:
        var value: UInt64 = 0
        var status = session.read(key, into: &value)
        if status == .pending {
          pendingCount += 1
          let results = session.completePendingWithResults(wait: true)
          status = results.first?.status ?? .deviceError
          value = results.first?.value ?? 0
        }
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
        let status = session.rmw(key, AddUpdate(delta: delta))
        if status == .pending {
          pendingCount += 1
          let results = session.completePendingWithResults(wait: true)
          #expect(results.first?.status == .ok, "step \(step): rmw \(key)")
        } else {
          #expect(status == .ok, "step \(step): rmw \(key) -> \(status)")
        }
        model[key] = (model[key] ?? 0) &+ delta
      default:
        _ = session.delete(key)
        model[key] = nil
      }
    }
    #expect(store.headAddress > Address.firstValid)
    #expect(pendingCount > 1_000, "reads and RMWs reached the device")
    for key in 0..<UInt64(keySpace) {
      var value: UInt64 = 0
      var status = session.read(key, into: &value)
      if status == .pending {
        let result = session.completePendingWithResults(wait: true).first
        status = result?.status ?? .deviceError
        value = result?.value ?? 0
      }
      if let expected = model[key] {
        #expect(status == .ok && value == expected, "final read \(key)")
      } else {
        #expect(status == .notFound, "final read \(key)")
      }
    }
    if readCache {
      #expect((store.statistics.readCache?.hits ?? 0) > 0, "reads were served from the read cache")
    }
    #expect(store.invariantViolations() == [])
  }

  @Test(arguments: TestDevice.allCases, [false, true])
  func variableLengthStoreMatchesADictionaryOnDisk(device kind: TestDevice, readCache: Bool) throws {
    var random = TestRandom(
      seed: testSeed("variableLengthStoreMatchesADictionaryOnDisk(\(kind), \(readCache))"))
    let directory = TemporaryDirectory("model-bytes")
    let device = try kind.open(directory)
    defer { device.close() }
    let store = try VariableLengthStore(
      options: readCache
        ? readCacheOptions(logBytes: 1 << 17, cachePages: 8) : diskOptions(logBytes: 1 << 17),
      device: device)
    let session = try store.newSession()
    var model: [Int: [UInt8]] = [:]
    var deleted: Set<Int> = []
    var pendingCount = 0
    var buffer = [UInt8](repeating: 0, count: 4096)
    func read(_ keyNumber: Int) -> (OperationStatus, [UInt8]) {
      var length = 0
      let status = TestBytes.key(keyNumber).withUnsafeBytes { k in
        buffer.withUnsafeMutableBytes { session.read(key: k, into: $0, valueLength: &length) }
      }
      if status == .pending {
        pendingCount += 1
        let result = session.completePendingWithResults(wait: true).first
        return (result?.status ?? .deviceError, result?.value ?? [])
      }
      return (status, status == .ok ? Array(buffer[0..<length]) : [])
    }
    for step in 0..<15_000 {
      let keyNumber = random.next(below: 1_500)
      let key = TestBytes.key(keyNumber)
      switch random.next(below: 10) {
      case 0..<3:
        let (status, value) = read(keyNumber)
        if let expected = model[keyNumber] {
          #expect(status == .ok && value == expected, "step \(step): read \(keyNumber) -> \(status)")
        } else {
          #expect(status == .notFound, "step \(step): read \(keyNumber) -> \(status)")
        }
      case 3..<6:
        let value = (0..<(8 + random.next(below: 300))).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        #expect(
          key.withUnsafeBytes { k in value.withUnsafeBytes { session.upsert(key: k, value: $0) } } == .ok)
        model[keyNumber] = value
      case 6..<9:
        let counterNumber = 100_000 + keyNumber % 300
        let status = TestBytes.key(counterNumber).withUnsafeBytes {
          session.rmw(key: $0, CounterBytesUpdate())
        }
        if status == .pending {
          pendingCount += 1
          #expect(session.completePendingWithResults(wait: true).first?.status == .ok)
        } else {
          #expect(status == .ok, "step \(step): rmw -> \(status)")
        }
        let old = model[counterNumber].map { $0.withUnsafeBytes { CounterBytesUpdate.decode($0)! } } ?? 0
        var bytes = [UInt8](repeating: 0, count: CounterBytesUpdate.length(for: old + 1))
        bytes.withUnsafeMutableBytes { CounterBytesUpdate.write(count: old + 1, into: $0) }
        model[counterNumber] = bytes
      default:
        _ = key.withUnsafeBytes { session.delete(key: $0) }
        model[keyNumber] = nil
        deleted.insert(keyNumber)
      }
    }
    #expect(pendingCount > 500, "reads and RMWs reached the device")
    var deletedKeysChecked = 0
    for keyNumber in Array(0..<1_500) + Array(100_000..<100_300) {
      let (status, value) = read(keyNumber)
      if let expected = model[keyNumber] {
        #expect(status == .ok && value == expected, "final read \(keyNumber)")
      } else {
        #expect(status == .notFound, "final read \(keyNumber): deleted or never written")
        if deleted.contains(keyNumber) { deletedKeysChecked += 1 }
      }
    }
    #expect(deletedKeysChecked > 0, "some keys were deleted last and read back as not found")
    if readCache {
      #expect((store.statistics.readCache?.hits ?? 0) > 0, "reads were served from the read cache")
    }
    #expect(store.invariantViolations() == [])
  }

  @Test(arguments: TestDevice.allCases)
  func asyncOperationsResumeWhenTheirReadCompletes(device kind: TestDevice) async throws {
    let directory = TemporaryDirectory("async")
    let device = try kind.open(directory)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(options: diskOptions(), device: device)
    let session = try store.newSession()
    for key in 0..<10_000 as Range<UInt64> { _ = session.upsert(key, key + 1) }
    // Keys 0 and 1 are long evicted: both calls must go to the device and come back complete.
    #expect(store.headAddress > Address(8 * 24))
    // A synchronous read left pending meanwhile: the async calls must neither complete it nor
    // count themselves in its queue.
    var synchronousValue: UInt64 = 0
    #expect(session.read(2, into: &synchronousValue) == .pending)
    #expect(session.pendingCount == 1)
    var deviceReads = device.statistics.reads
    func wentToTheDevice() -> Bool {
      defer { deviceReads = device.statistics.reads }
      return device.statistics.reads > deviceReads
    }
    let (status, value) = await session.read(UInt64(0))
    #expect(status == .ok && value == 1)
    #expect(wentToTheDevice(), "the async read of an evicted key read the device")
    #expect(await session.rmw(UInt64(1), AddUpdate(delta: 10)) == .ok)
    #expect(wentToTheDevice(), "the async RMW of an evicted key read the device")
    let (after, updated) = await session.read(UInt64(1))
    #expect(after == .ok && updated == 12)
    let missing: (status: OperationStatus, value: UInt64?) = await session.read(UInt64(99_999))
    #expect(missing.status == .notFound && missing.value == nil)
    // A require: with a wrong count, completePending(wait: true) below would wait forever.
    try #require(session.pendingCount == 1, "only the synchronous read is pending")
    let completed = session.completePendingWithResults(wait: true)
    #expect(completed.count == 1 && completed.first?.status == .ok && completed.first?.value == 3)
    #expect(session.pendingCount == 0)
  }

  @Test func deletedKeyOnTheDeviceStaysDeleted() throws {
    let directory = TemporaryDirectory("tombstone")
    let device = try TestDevice.file.open(directory)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(options: diskOptions(), device: device)
    let session = try store.newSession()
    _ = session.upsert(7, 70)
    _ = session.delete(7)
    for key in 1_000..<20_000 as Range<UInt64> { _ = session.upsert(key, key) }
    var value: UInt64 = 0
    let status = session.read(7, into: &value)
    #expect(status == .pending)
    #expect(session.completePendingWithResults(wait: true).first?.status == .notFound)
    let rmw = session.rmw(7, AddUpdate(delta: 5))
    if rmw == .pending { _ = session.completePendingWithResults(wait: true) }
    #expect(session.read(7, into: &value) == .ok && value == 5, "RMW after a tombstone on disk starts fresh")
  }

  @Test func flushLogMakesEverythingFlushed() throws {
    let directory = TemporaryDirectory("flush")
    let device = try TestDevice.uring.open(directory)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(options: diskOptions(logBytes: 1 << 20), device: device)
    let session = try store.newSession()
    for key in 0..<1_000 as Range<UInt64> { _ = session.upsert(key, key) }
    session.suspend()
    try store.flushLog(durable: true)
    #expect(store.flushedUntilAddress >= store.tailAddress)
    #expect(device.statistics.flushes >= 1)
  }
}

/// Faults from the device reach operations as statuses a caller can act on, and never
/// lose an acknowledged write.
@Suite struct DiskTierFaultTests {
  func makeStore(_ directory: TemporaryDirectory, seed: UInt64) throws -> (
    FixedSizeStore<UInt64, UInt64>, FaultInjectingDevice
  ) {
    let inner = try TestDevice.file.open(directory)
    let device = FaultInjectingDevice(wrapping: inner, seed: seed)
    return (try FixedSizeStore<UInt64, UInt64>(options: diskOptions(), device: device), device)
  }

  @Test func failedReadIsADeviceErrorAndTheNextReadWorks() throws {
    let directory = TemporaryDirectory("fault-read")
    let (store, device) = try makeStore(
      directory, seed: testSeed("failedReadIsADeviceErrorAndTheNextReadWorks"))
    defer { device.close() }
    let session = try store.newSession()
    for key in 0..<20_000 as Range<UInt64> { _ = session.upsert(key, key + 1) }
    device.failNext(.ioError, reads: true, writes: false, count: 1)
    var value: UInt64 = 0
    #expect(session.read(0, into: &value) == .pending)
    #expect(session.completePendingWithResults(wait: true).first?.status == .deviceError)
    #expect(store.lastDeviceError?.kind == .injected || store.lastDeviceError?.kind == .ioError)
    #expect(session.read(0, into: &value) == .pending)
    let retry = session.completePendingWithResults(wait: true).first
    #expect(retry?.status == .ok && retry?.value == 1)
  }

  @Test func shortAndReorderedCompletionsStillGiveTheRightValues() throws {
    let directory = TemporaryDirectory("fault-short")
    let (store, device) = try makeStore(
      directory, seed: testSeed("shortAndReorderedCompletionsStillGiveTheRightValues"))
    defer { device.close() }
    let session = try store.newSession()
    device.reorderCompletions = true
    device.delayCompletionsMilliseconds = 0...2
    device.shortTransferProbability = 0.3
    for key in 0..<8_000 as Range<UInt64> { #expect(session.upsert(key, key * 7) == .ok) }
    // The injector keeps unflushed writes in a cache and creates the inner files on
    // flush; make them exist so reads past the cached bytes see a real file.
    try device.flush()
    for key in stride(from: 0, to: 8_000 as UInt64, by: 97) {
      var value: UInt64 = 0
      var status = session.read(key, into: &value)
      if status == .pending {
        let result = session.completePendingWithResults(wait: true).first
        status = result?.status ?? .deviceError
        value = result?.value ?? 0
      }
      #expect(
        status == .ok && value == key * 7,
        "key \(key): \(status) \(value) \(String(describing: store.lastDeviceError))")
    }
  }

  @Test func failedFlushStopsGrowthWithADeviceErrorAndKeepsAcknowledgedWrites() throws {
    let directory = TemporaryDirectory("fault-write")
    let (store, device) = try makeStore(directory, seed: testSeed("failedFlushStopsGrowth"))
    defer { device.close() }
    let session = try store.newSession()
    device.failNext(.diskFull, reads: false, writes: true, count: 1_000_000)
    var acknowledged: [UInt64] = []
    var lastStatus = OperationStatus.ok
    for key in 0..<20_000 as Range<UInt64> {
      lastStatus = session.upsert(key, key + 100)
      guard lastStatus == .ok else { break }
      acknowledged.append(key)
    }
    #expect(lastStatus == .deviceError)
    #expect(store.lastDeviceError != nil)
    #expect(!acknowledged.isEmpty)
    // Nothing was evicted (no flush completed), so every acknowledged write is in memory.
    for key in acknowledged {
      var value: UInt64 = 0
      #expect(session.read(key, into: &value) == .ok && value == key + 100)
    }
  }
}
