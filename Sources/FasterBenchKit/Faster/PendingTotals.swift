import FasterCore
import Synchronization

/// Counts of the engine's pending operations (records read from the device) over a run,
/// summed from every worker when it closes.
///
/// Thread safety: atomic counters; workers add their own tallies once, at close.
final class PendingTotals: Sendable {
  private let issued = Atomic<Int>(0)
  private let completed = Atomic<Int>(0)
  private let failed = Atomic<Int>(0)
  private let notFound = Atomic<Int>(0)

  func add(_ tally: PendingTally) {
    issued.add(tally.issued, ordering: .relaxed)
    completed.add(tally.completed, ordering: .relaxed)
    failed.add(tally.failed, ordering: .relaxed)
    notFound.add(tally.notFound, ordering: .relaxed)
  }

  func statistics() -> JSONValue {
    .object([
      "issued": .number(Double(issued.load(ordering: .relaxed))),
      "completed": .number(Double(completed.load(ordering: .relaxed))),
      "failed": .number(Double(failed.load(ordering: .relaxed))),
      "notFound": .number(Double(notFound.load(ordering: .relaxed))),
    ])
  }
}

/// One worker's pending-operation tally, and the pending policy (`faster.pendingwait`).
struct PendingTally {
  var issued = 0
  var completed = 0
  var failed = 0
  /// Completed (counted in `completed`) with `.notFound`: the key's record on the device
  /// was a tombstone or the chain ended without it. Without `waitForEach` the run's
  /// return codes count these operations as OK, so this is where they show.
  var notFound = 0
  let waitForEach: Bool

  init(waitForEach: Bool) { self.waitForEach = waitForEach }

  /// The status to report for an operation that returned `status`: with `waitForEach`, a
  /// pending operation is completed now and reported with its final status.
  @inline(__always)
  mutating func resolve<Layout>(_ status: OperationStatus, session: FasterSession<Layout>) -> OperationStatus
  {
    guard status == .pending else { return status }
    issued &+= 1
    guard waitForEach else { return status }
    var final = OperationStatus.deviceError
    for result in session.completePendingWithResults(wait: true) {
      count(result.status)
      final = result.status
    }
    return final
  }

  mutating func complete<Layout>(_ session: FasterSession<Layout>, wait: Bool) {
    for result in session.completePendingWithResults(wait: wait) { count(result.status) }
  }

  private mutating func count(_ status: OperationStatus) {
    if status.isError {
      failed &+= 1
    } else {
      completed &+= 1
      if status == .notFound { notFound &+= 1 }
    }
  }
}
