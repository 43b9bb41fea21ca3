import FasterTestSupport
import Foundation
import Testing

@testable import FasterCore

/// The read cache under threads: a log far smaller than the data and a read cache of a
/// few pages, so reads go to the device, fill the cache, hit it, and its head keeps
/// moving (unlinking entries) while other threads update the same keys. Every read and
/// the final state are checked for linearizability (`ConcurrentHistory`). Also run under
/// the thread sanitizer (scripts/test.sh).
@Suite struct ReadCacheConcurrencyTests {
  static func options() -> FasterKVOptions {
    readCacheOptions(logBytes: 1 << 14, cachePages: 4, secondChance: 0.25)
  }

  @Test(arguments: [2, 4, 8])
  func fixedSizeStoreWithTheReadCacheIsLinearizable(threads: Int) throws {
    let seed = testSeed("fixedSizeStoreWithTheReadCacheIsLinearizable(\(threads))")
    let directory = TemporaryDirectory("rc-linearizable")
    let device = try TestDevice.uring.open(directory)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(options: Self.options(), device: device)
    // Filler keys push the small key set out of memory over and over.
    let driver = StoreDriver(
      newSession: { try! store.newSession() },
      read: { session, key, _ in
        var value: UInt64 = 0
        var status = session.read(UInt64(key), into: &value)
        if status == .pending, let result = session.completePendingWithResults(wait: true).first {
          status = result.status
          value = result.value ?? 0
        }
        precondition(status == .ok || status == .notFound, "read returned \(status)")
        return status == .ok ? value : nil
      },
      write: { session, key, value in
        let status = session.upsert(UInt64(key), value)
        precondition(status == .ok, "upsert returned \(status)")
        // A filler record per write: the log turns over and evicts the keys.
        for filler in 0..<8 as Range<UInt64> { _ = session.upsert(1 << 40 | value << 3 | filler, filler) }
      },
      increment: { session, key in
        var status = session.rmw(UInt64(key), AddUpdate(delta: 1))
        if status == .pending {
          status = session.completePendingWithResults(wait: true).first?.status ?? .deviceError
        }
        precondition(status == .ok, "rmw returned \(status)")
      },
      delete: { session, key in _ = session.delete(UInt64(key)) },
      end: { $0.end() },
      makeReadOnly: { store.shiftReadOnlyAddress(to: store.tailAddress) })
    let problems = ConcurrentHistory.violations(threads: threads, seed: seed, driver: driver)
    #expect(problems.isEmpty, "\(problems.prefix(5)) (seed \(seed))")
    let statistics = try #require(store.statistics.readCache)
    #expect(statistics.hits > 0 && statistics.inserts > 0, "the cache was used (\(statistics))")
    #expect(store.headAddress > Address.firstValid, "records were evicted")
    #expect(store.invariantViolations() == [], "seed \(seed)")
  }

  @Test(arguments: [2, 4])
  func variableLengthStoreWithTheReadCacheIsLinearizable(threads: Int) throws {
    let seed = testSeed("variableLengthStoreWithTheReadCacheIsLinearizable(\(threads))")
    let directory = TemporaryDirectory("rc-linearizable-bytes")
    let device = try TestDevice.uring.open(directory)
    defer { device.close() }
    let store = try VariableLengthStore(options: Self.options(), device: device)
    let tornReads = SharedCounter()
    let driver = StoreDriver(
      newSession: { try! store.newSession() },
      read: { session, key, isCounter in
        var buffer = [UInt8](repeating: 0, count: 256)
        var length = 0
        var status = TestBytes.key(key).withUnsafeBytes { k in
          buffer.withUnsafeMutableBytes { session.read(key: k, into: $0, valueLength: &length) }
        }
        if status == .pending, let result = session.completePendingWithResults(wait: true).first {
          status = result.status
          buffer = result.value ?? []
          length = buffer.count
        }
        precondition(status == .ok || status == .notFound, "read returned \(status)")
        guard status == .ok else { return nil }
        let decoded = buffer.withUnsafeBytes { bytes in
          let value = UnsafeRawBufferPointer(rebasing: bytes[0..<length])
          return isCounter ? CounterBytesUpdate.decode(value) : TestBytes.decode(value)
        }
        if decoded == nil { tornReads.add() }
        return decoded ?? UInt64.max
      },
      write: { session, key, value in
        let bytes = TestBytes.make(value)
        let status = TestBytes.key(key).withUnsafeBytes { k in
          bytes.withUnsafeBytes { session.upsert(key: k, value: $0) }
        }
        precondition(status == .ok, "upsert returned \(status)")
        for filler in 0..<4 {
          _ = TestBytes.key(1_000_000 + Int(value & 0xFFFF) * 4 + filler).withUnsafeBytes { k in
            bytes.withUnsafeBytes { session.upsert(key: k, value: $0) }
          }
        }
      },
      increment: { session, key in
        var status = TestBytes.key(key).withUnsafeBytes { session.rmw(key: $0, CounterBytesUpdate()) }
        if status == .pending {
          status = session.completePendingWithResults(wait: true).first?.status ?? .deviceError
        }
        precondition(status == .ok, "rmw returned \(status)")
      },
      delete: { session, key in _ = TestBytes.key(key).withUnsafeBytes { session.delete(key: $0) } },
      end: { $0.end() },
      makeReadOnly: { store.shiftReadOnlyAddress(to: store.tailAddress) })
    let problems = ConcurrentHistory.violations(threads: threads, seed: seed, driver: driver)
    #expect(tornReads.current == 0, "reads saw torn or mixed values (seed \(seed))")
    #expect(problems.isEmpty, "\(problems.prefix(5)) (seed \(seed))")
    #expect((store.statistics.readCache?.hits ?? 0) > 0, "the cache was used")
    #expect(store.invariantViolations() == [], "seed \(seed)")
  }
}
