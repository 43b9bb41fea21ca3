/// A thread or task waiting for the committed tail to reach `target`: a committer
/// (`requestsCommit`) or an iterator waiting for new entries (which never forces a commit).
///
/// Thread safety: handed to the commit worker under the commit lock; `resume` is called
/// exactly once, outside the lock.
struct CommitWaiter: Sendable {
  init(
    target: UInt64, requestsCommit: Bool, resume: @escaping @Sendable (Result<Void, FasterLogError>) -> Void
  ) {
    self.target = target
    self.requestsCommit = requestsCommit
    self.resume = resume
  }

  /// Resumed once `committedUntil >= target`.
  let target: UInt64
  /// Whether registering this waiter starts a commit.
  let requestsCommit: Bool
  /// Commits started before this waiter was added (set by `register`): a committer is
  /// served only by a commit that started after it asked.
  var generation: UInt64 = 0
  /// Called exactly once with success, the commit's failure, or `.closed`.
  let resume: @Sendable (Result<Void, FasterLogError>) -> Void
}
