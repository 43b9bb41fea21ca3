/// The FasterLog commit worker's mailbox, guarded by `FasterLog.commitState`.
///
/// Invariants: `waiters` hold only targets above the committed tail at the time they
/// were added; once `failure` is set it stays, and no waiter is added after it (they are
/// resumed with it at once); once `closing` is set, no waiter is added.
struct CommitState {
  /// A commit was asked for and has not started yet.
  var commitRequested = false
  /// Committers and iterators waiting for the committed tail to reach their target.
  var waiters: [CommitWaiter] = []
  /// Commits the worker has started (the generation of the newest).
  var commitsStarted: UInt64 = 0
  /// `close()` was called: the worker exits.
  var closing = false
  /// A device flush or sync failed: the log commits nothing more.
  var failure: FasterLogError?
}
