import FasterTestSupport
import Foundation

/// Threads doing random reads, upserts, deletes and increments on overlapping keys of one
/// store, every operation stamped with tickets of one sequentially consistent counter; the
/// history and the final state are then checked by `LinearizabilityChecker`. Thread 0 makes
/// the whole log read-only every 300 operations, so copy-updates, the fuzzy region and sealed
/// records race with in-place updates.
///
/// Sizes: `registerKeys` (24 by default) register keys and 8 counter keys; with 8 threads of
/// 6 000 operations (1 500 under the thread sanitizer) a key sees about 1 500 operations, or
/// 9 000 with 4 register keys (the hot-key variant), within the checker's budget.
enum ConcurrentHistory {
  static let counterKeys = 100..<108

  static var operationsPerThread: Int {
    ProcessInfo.processInfo.environment["FASTER_TSAN"] == nil ? 6_000 : 1_500
  }

  /// Runs the threads and returns what the checker found (empty: linearizable).
  static func violations<Session>(
    threads: Int, seed: UInt64, registerKeys: Int = 24, driver: StoreDriver<Session>
  ) -> [String] {
    let ticket = SharedCounter(1)
    let histories = Shared<[[LinearizabilityChecker.Event]]>([])
    let perThread = operationsPerThread
    runThreads(threads) { thread in
      var random = TestRandom(seed: seed &+ UInt64(thread) &* 0x9E37_79B9)
      let session = driver.newSession()
      var events: [LinearizabilityChecker.Event] = []
      events.reserveCapacity(perThread)
      for i in 0..<perThread {
        if thread == 0 && i % 300 == 0 { driver.makeReadOnly() }
        let isCounter = random.next(below: 4) == 0
        let key =
          isCounter
          ? counterKeys.lowerBound + random.next(below: counterKeys.count)
          : random.next(below: registerKeys)
        let choice = random.next(below: 10)
        var event = LinearizabilityChecker.Event(
          key: key, kind: .read, value: nil, start: ticket.add(), end: 0)
        if choice < 4 {
          event.value = driver.read(session, key, isCounter)
        } else if isCounter {
          event.kind = .increment
          driver.increment(session, key)
        } else if choice < 9 {
          event.kind = .write
          event.value = UInt64(thread + 1) << 40 | UInt64(i)
          driver.write(session, key, event.value!)
        } else {
          event.kind = .delete
          driver.delete(session, key)
        }
        event.end = ticket.add()
        events.append(event)
      }
      driver.end(session)
      histories.withLock { $0.append(events) }
    }
    let session = driver.newSession()
    var finalState: [Int: UInt64?] = [:]
    for key in 0..<registerKeys { finalState[key] = driver.read(session, key, false) }
    for key in counterKeys { finalState[key] = driver.read(session, key, true) }
    driver.end(session)
    return LinearizabilityChecker.violations(
      in: histories.withLock { $0.flatMap { $0 } }, finalState: finalState, counterKeys: Set(counterKeys))
  }
}
