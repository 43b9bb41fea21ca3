import FasterPlatform

/// The store's view of its sessions' operation counters: the live sessions' tables, and
/// the sums of the sessions that ended (so totals never go back when a session ends).
///
/// Invariant (under `lock`): a session's counts are in exactly one place, its live table
/// while registered, `retired` after `retire`.
///
/// Thread safety: every member takes `lock`; the sessions' own increments never do.
final class SessionCounterRegistry: @unchecked Sendable {
  // @unchecked Sendable: the state is guarded by `lock`; the tables' words are atomic.
  private struct State {
    var live: [ObjectIdentifier: SessionOperationCounters] = [:]
    var retired = [UInt64](repeating: 0, count: SessionOperationCounters.wordCount)
  }
  private let lock = ControlLock(State())

  func register(_ counters: SessionOperationCounters, for session: ObjectIdentifier) {
    lock.withLock { $0.live[session] = counters }
  }

  /// Moves a session's counts to the retired sums (its table is then the session's to free).
  func retire(_ session: ObjectIdentifier) {
    lock.withLock { state in
      guard let counters = state.live.removeValue(forKey: session) else { return }
      counters.add(into: &state.retired)
    }
  }

  /// Retired sums plus every live table, read now.
  func snapshot() -> OperationStatistics {
    let words = lock.withLock { state in
      var totals = state.retired
      for counters in state.live.values { counters.add(into: &totals) }
      return totals
    }
    return OperationStatistics(words: words)
  }
}
