import FasterStorage
import FasterTestSupport
import Foundation
import Synchronization
import Testing

@testable import FasterCore

/// Compaction while sessions update, delete and read: no update is lost to an older
/// compacted copy, no deleted key comes back, no read fails or sees a value that was
/// never written.
@Suite struct CompactionConcurrencyTests {
  @Test(arguments: [TestDevice.uring, .file], CompactionMethod.allCases)
  func compactionRacesWithUpdatesAndDeletes(device kind: TestDevice, method: CompactionMethod) throws {
    let seed = testSeed("compactionRacesWithUpdatesAndDeletes(\(kind),\(method))")
    let directory = TemporaryDirectory("compact-race")
    let device = try kind.open(directory, segmentSize: 1 << 16)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(options: diskOptions(), device: device)
    let threads = 3
    let keysPerThread: UInt64 = 1_500
    let steps = 25_000
    let writersDone = Atomic<Int>(0)
    let failures = Mutex<[String]>([])
    // Thread t owns keys t * keysPerThread ..< (t + 1) * keysPerThread; values encode
    // the key (value / 1_000_000 == key), so any thread can check a read.
    let finalModels = Mutex<[UInt64: UInt64]>([:])
    let compactions = Atomic<Int>(0)
    runThreads(threads + 1) { index in
      if index == threads {
        // The compactor: compacts whatever is evicted, again and again, until the
        // writers are done.
        var rounds = 0
        while writersDone.load(ordering: .acquiring) < threads || rounds < 2 {
          do {
            let report = try store.compact(until: store.headAddress, method: method)
            if report.bytesReclaimed > 0 { compactions.add(1, ordering: .relaxed) }
          } catch {
            failures.withLock { $0.append("compact: \(error)") }
            return
          }
          rounds += 1
          usleep(2_000)
        }
        return
      }
      var random = TestRandom(seed: seed &+ UInt64(index))
      guard let session = try? store.newSession() else {
        failures.withLock { $0.append("thread \(index): no session") }
        writersDone.add(1, ordering: .releasing)
        return
      }
      var model: [UInt64: UInt64] = [:]
      let base = UInt64(index) * keysPerThread
      for step in 0..<steps {
        let key = base + UInt64(random.next(below: Int(keysPerThread)))
        switch random.next(below: 10) {
        case 0..<2:
          let (status, value) = readWaiting(session, key)
          let expected = model[key]
          if (expected == nil && status != .notFound)
            || (expected != nil && (status != .ok || value != expected))
          {
            failures.withLock {
              $0.append(
                "thread \(index) step \(step): read own \(key) -> \(status) \(value), expected \(String(describing: expected))"
              )
            }
          }
        case 2..<3:
          // Someone else's key: any value it had, or not found; never an error.
          let other = UInt64(random.next(below: threads * Int(keysPerThread)))
          let (status, value) = readWaiting(session, other)
          if status != .notFound && (status != .ok || value / 1_000_000 != other) {
            failures.withLock { $0.append("thread \(index): read \(other) -> \(status) \(value)") }
          }
        case 3..<6:
          let value = key * 1_000_000 + UInt64(random.next(below: 500_000))
          if session.upsert(key, value) != .ok { failures.withLock { $0.append("upsert \(key)") } }
          model[key] = value
        case 6..<9:
          var status = session.rmw(key, KeyedIncrement(key: key))
          if status == .pending {
            status = session.completePendingWithResults(wait: true).first?.status ?? .deviceError
          }
          if status != .ok { failures.withLock { $0.append("rmw \(key) -> \(status)") } }
          model[key] = model[key].map { $0 + 1 } ?? key * 1_000_000
        default:
          _ = session.delete(key)
          model[key] = nil
        }
      }
      session.end()
      finalModels.withLock { $0.merge(model) { a, _ in a } }
      writersDone.add(1, ordering: .releasing)
    }
    let problems = failures.withLock { $0 }
    #expect(problems.isEmpty, "seed \(seed): \(problems.prefix(10))")
    #expect(compactions.load(ordering: .relaxed) >= 2, "compaction ran while sessions did")
    let model = finalModels.withLock { $0 }
    let session = try store.newSession()
    for key in 0..<UInt64(threads) * keysPerThread {
      let (status, value) = readWaiting(session, key)
      if let expected = model[key] {
        #expect(status == .ok && value == expected, "seed \(seed): final read \(key) -> \(status) \(value)")
      } else {
        #expect(status == .notFound, "seed \(seed): final read \(key) -> \(status)")
      }
    }
    #expect(store.statistics.beginAddress > Address.firstValid.rawValue)
  }
}

extension CompactionConcurrencyTests {
  /// A read that went to the device before compaction moved the begin keeps the
  /// segments it needs: compaction waits for it before deleting them, and it finds its
  /// value (not a missing file, not "not found").
  @Test func aPendingReadKeepsItsSegmentsUntilItCompletes() throws {
    let directory = TemporaryDirectory("compact-held-read")
    let device = HeldReadDevice(try TestDevice.file.open(directory, segmentSize: 1 << 16))
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(options: diskOptions(), device: device)
    let session = try store.newSession()
    for key in 0..<6_000 as Range<UInt64> { #expect(session.upsert(key, key &* 7) == .ok) }
    device.holdNextRead()
    var value: UInt64 = 0
    #expect(session.read(5, into: &value) == .pending)
    session.suspend()
    #expect(device.heldReadCount == 1)
    let segmentFiles = Set(segmentFileNames(directory))
    let finished = Atomic<Bool>(false)
    let compactor = TestThread {
      do { try store.compact(until: store.headAddress) } catch { Issue.record("compact: \(error)") }
      finished.store(true, ordering: .releasing)
    }
    compactor.start()
    var waited = 0
    while store.statistics.beginAddress == Address.firstValid.rawValue && waited < 10_000 {
      usleep(1_000)
      waited += 1
    }
    #expect(store.statistics.beginAddress > Address.firstValid.rawValue, "compaction moved the begin")
    usleep(100_000)
    let finishedEarly = finished.load(ordering: .acquiring)
    #expect(!finishedEarly, "compaction waits for the pending read")
    #expect(segmentFiles.isSubset(of: segmentFileNames(directory)), "no segment deleted under the read")
    device.releaseHeldReads()
    let result = session.completePendingWithResults(wait: true).first
    #expect(result?.status == .ok && result?.value == 5 &* 7)
    compactor.join()
    let finishedAfterJoin = finished.load(ordering: .acquiring)
    #expect(finishedAfterJoin)
    #expect(
      !segmentFiles.isSubset(of: segmentFileNames(directory)), "segments deleted once the read was done")
    #expect(readWaiting(session, 5) == (.ok, 35))
  }
}

/// An RMW whose values keep encoding their key (value / 1_000_000 == key while fewer
/// than 500,000 increments land on one value).
struct KeyedIncrement: FixedSizeUpdate {
  let key: UInt64
  func initialValue() -> UInt64 { key * 1_000_000 }
  func updated(_ old: UInt64) -> UInt64 { old + 1 }
}
