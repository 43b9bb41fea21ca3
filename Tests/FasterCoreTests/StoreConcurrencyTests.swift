import FasterTestSupport
import Foundation
import Testing

@testable import FasterCore

/// Threads on overlapping keys; every read and the final state are checked against what a
/// linearizable store could return (`ConcurrentHistory`, `LinearizabilityChecker`), while the
/// whole log keeps being made read-only under them. These suites also run under the thread
/// sanitizer (scripts/test.sh).
@Suite struct StoreConcurrencyTests {
  static func options() -> FasterKVOptions {
    smallOptions(indexBytes: 128, logBytes: 1 << 24, pageBytes: 1 << 12, mutableFraction: 0.5)
  }

  @Test(arguments: [2, 4, 8])
  func fixedSizeStoreIsLinearizable(threads: Int) throws {
    let seed = testSeed("fixedSizeStoreIsLinearizable(\(threads))")
    let store = try FixedSizeStore<UInt64, UInt64>(options: Self.options())
    let driver = StoreDriver(
      newSession: { try! store.newSession() },
      read: { session, key, _ in
        var value: UInt64 = 0
        let status = session.read(UInt64(key), into: &value)
        precondition(status == .ok || status == .notFound, "read returned \(status)")
        return status == .ok ? value : nil
      },
      write: { session, key, value in
        let status = session.upsert(UInt64(key), value)
        precondition(status == .ok, "upsert returned \(status)")
      },
      increment: { session, key in
        let status = session.rmw(UInt64(key), AddUpdate(delta: 1))
        precondition(status == .ok, "rmw returned \(status)")
      },
      delete: { session, key in _ = session.delete(UInt64(key)) },
      end: { $0.end() },
      makeReadOnly: { store.shiftReadOnlyAddress(to: store.tailAddress) })
    let problems = ConcurrentHistory.violations(threads: threads, seed: seed, driver: driver)
    #expect(problems.isEmpty, "\(problems.prefix(5)) (seed \(seed))")
    #expect(store.invariantViolations() == [], "seed \(seed)")
  }

  /// Values wider than a word go through the per-record seqlock (`RecordValueLock`): upserts,
  /// in-place and copy RMWs and reads race on the same records, and every value read must be
  /// one that was written whole (`WideValue.isConsistent`), besides being linearizable.
  @Test(arguments: [2, 4, 8])
  func wideValuesAreNeverTornAndLinearizable(threads: Int) throws {
    let seed = testSeed("wideValuesAreNeverTornAndLinearizable(\(threads))")
    let store = try FixedSizeStore<UInt64, WideValue>(options: Self.options())
    let tornReads = SharedCounter()
    let driver = StoreDriver(
      newSession: { try! store.newSession() },
      read: { session, key, _ in
        var value = WideValue(0)
        let status = session.read(UInt64(key), into: &value)
        precondition(status == .ok || status == .notFound, "read returned \(status)")
        guard status == .ok else { return nil }
        guard value.isConsistent else {
          tornReads.add()
          return UInt64.max
        }
        return value.a
      },
      write: { session, key, value in
        let status = session.upsert(UInt64(key), WideValue(value))
        precondition(status == .ok, "upsert returned \(status)")
      },
      increment: { session, key in
        let status = session.rmw(UInt64(key), AddWideUpdate())
        precondition(status == .ok, "rmw returned \(status)")
      },
      delete: { session, key in _ = session.delete(UInt64(key)) },
      end: { $0.end() },
      makeReadOnly: { store.shiftReadOnlyAddress(to: store.tailAddress) })
    // Few keys, so readers and writers meet on the same records often.
    let problems = ConcurrentHistory.violations(threads: threads, seed: seed, registerKeys: 4, driver: driver)
    #expect(tornReads.current == 0, "\(tornReads.current) reads saw a torn value (seed \(seed))")
    #expect(problems.isEmpty, "\(problems.prefix(5)) (seed \(seed))")
    #expect(store.invariantViolations() == [], "seed \(seed)")
  }

  /// The seqlock's own race, as tight as it gets: half the threads update two hot keys in place
  /// (upserts and RMWs) while the others read them back to back; a read that mixed two values
  /// fails `WideValue.isConsistent`.
  @Test(arguments: [2, 4])
  func wideValueReadersNeverSeeATornValue(threads: Int) throws {
    let store = try FixedSizeStore<UInt64, WideValue>(options: Self.options())
    let operations = ProcessInfo.processInfo.environment["FASTER_TSAN"] == nil ? 100_000 : 10_000
    let tornReads = SharedCounter()
    let reads = SharedCounter()
    runThreads(threads) { thread in
      let session = try! store.newSession()
      for i in 0..<operations {
        let key = UInt64(i & 1)
        if thread % 2 == 0 {
          let status =
            i % 4 == 0 ? session.rmw(key, AddWideUpdate()) : session.upsert(key, WideValue(UInt64(i)))
          precondition(status == .ok, "update returned \(status)")
        } else {
          var value = WideValue(0)
          if session.read(key, into: &value) == .ok {
            reads.add()
            if !value.isConsistent { tornReads.add() }
          }
        }
      }
      session.end()
    }
    #expect(reads.current > 0)
    #expect(tornReads.current == 0, "\(tornReads.current) of \(reads.current) reads saw a torn value")
  }

  @Test(arguments: [2, 4, 8])
  func variableLengthStoreIsLinearizable(threads: Int) throws {
    let seed = testSeed("variableLengthStoreIsLinearizable(\(threads))")
    let store = try VariableLengthStore(options: Self.options())
    let tornReads = SharedCounter()
    let driver = StoreDriver(
      newSession: { try! store.newSession() },
      read: { session, key, isCounter in
        var buffer = [UInt8](repeating: 0, count: 256)
        var length = 0
        let status = TestBytes.key(key).withUnsafeBytes { k in
          buffer.withUnsafeMutableBytes { session.read(key: k, into: $0, valueLength: &length) }
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
      },
      increment: { session, key in
        let status = TestBytes.key(key).withUnsafeBytes { session.rmw(key: $0, CounterBytesUpdate()) }
        precondition(status == .ok, "rmw returned \(status)")
      },
      delete: { session, key in _ = TestBytes.key(key).withUnsafeBytes { session.delete(key: $0) } },
      end: { $0.end() },
      makeReadOnly: { store.shiftReadOnlyAddress(to: store.tailAddress) })
    let problems = ConcurrentHistory.violations(threads: threads, seed: seed, driver: driver)
    #expect(tornReads.current == 0, "reads saw torn or mixed values (seed \(seed))")
    #expect(problems.isEmpty, "\(problems.prefix(5)) (seed \(seed))")
    #expect(store.invariantViolations() == [], "seed \(seed)")
  }
}
