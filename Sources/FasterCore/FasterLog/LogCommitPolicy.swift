/// When a FasterLog commits on its own, besides explicit `commit` calls.
///
/// Every automatic commit is a group commit: it makes everything enqueued so far durable
/// with one device flush, however many producers enqueued it, and commits requested
/// while one is running are coalesced into the next.
///
/// Thread safety: a value type.
public enum LogCommitPolicy: Sendable, Equatable {
  /// Only `commit`, `commitAsync` and `enqueueAndWaitForCommit` commit.
  case manual
  /// A commit starts whenever this many bytes were enqueued since the last one started.
  case everyBytes(Int)
  /// A commit starts this many milliseconds after the last one, if anything was enqueued.
  case everyMilliseconds(Int)
  /// A commit starts whenever an enqueue fills a page.
  case onPageFull
}
