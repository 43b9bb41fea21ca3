/// Test hooks: states that take too long (or too many bytes) to reach for real.
extension HybridLog {
  /// Moves every marker of an empty log to the start of `page`, as if the pages below had
  /// been written and truncated, so tests reach the address-space limit without writing
  /// terabytes. Tests only; call before any record is allocated.
  func startEmptyLog(atPage page: UInt64) {
    precondition(buffer.tailAddress == Address.firstValid, "startEmptyLog: the log must be empty")
    precondition(page >= 1 && page <= buffer.lastOpenablePage, "startEmptyLog: page out of range")
    let start = pageStart(page)
    flushState.withLock { $0 = FlushTracker(start: start) }
    for word in [
      buffer.beginWord, buffer.closedUntilWord, buffer.headWord, buffer.flushedUntilWord,
      buffer.safeReadOnlyWord, buffer.readOnlyWord,
    ] {
      word.store(start, .sequentiallyConsistent)
    }
    buffer.tailWord.store(page << 32, .sequentiallyConsistent)
  }
}
