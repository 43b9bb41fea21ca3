/// The store's invariants, checked in code: the hybrid log's marker order and flush
/// bookkeeping, and the index's entry rules. The stress and model tests call
/// `checkInvariants()` after their workloads; debug builds also check the log after
/// every marker shift (`FASTER_CHECK_INVARIANTS`).
extension FasterKV {
  /// Every violated invariant, described; empty when the store is consistent. Call it
  /// when no operation is in flight (the index rules do not hold mid-insert).
  public func invariantViolations() -> [String] {
    log.invariantViolations().map { "log: \($0)" }
      + index.invariantViolations(tail: log.tailAddress, readCacheTail: readCache?.tailAddress).map {
        "index: \($0)"
      }
  }

  /// Stops the process, naming every violation, if an invariant is broken. Call it when
  /// no operation is in flight.
  public func checkInvariants() {
    let problems = invariantViolations()
    precondition(problems.isEmpty, "store invariants violated: \(problems.joined(separator: "; "))")
  }
}
