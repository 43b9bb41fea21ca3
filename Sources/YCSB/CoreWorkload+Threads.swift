extension CoreWorkload {
  /// Thread `thread`'s share of `total` when split over `threads`: total / threads each, and one
  /// more for each of the first total % threads threads (YCSB's client split).
  /// Preconditions: total >= 0; 0 <= thread < threads.
  public static func share(of total: Int, thread: Int, threads: Int) -> Int {
    precondition(total >= 0 && threads > 0 && (0..<threads).contains(thread), "invalid share request")
    return total / threads + (thread < total % threads ? 1 : 0)
  }

  /// The first of thread `thread`'s contiguous share of `total` items (shares in thread order).
  public static func shareStart(of total: Int, thread: Int, threads: Int) -> Int {
    precondition(total >= 0 && threads > 0 && (0..<threads).contains(thread), "invalid share request")
    let base = total / threads
    let remainder = total % threads
    return thread * base + Swift.min(thread, remainder)
  }

  /// The key numbers thread `threadIndex` of `threadCount` inserts in the load phase: its
  /// contiguous share of [insertstart, insertstart + insertcount), the remainder going one each to
  /// the first threads. The shares are disjoint and together cover the range in order.
  public func loadKeyNumbers(threadIndex: Int, threadCount: Int) -> Range<UInt64> {
    let start = CoreWorkload.shareStart(of: insertCount, thread: threadIndex, threads: threadCount)
    let count = CoreWorkload.share(of: insertCount, thread: threadIndex, threads: threadCount)
    let lower = UInt64(insertStart + start)
    return lower..<(lower + UInt64(count))
  }

  /// Thread `threadIndex`'s share of `operationcount` (0 when operationcount is 0 = unbounded).
  public func operationShare(threadIndex: Int, threadCount: Int) -> Int {
    CoreWorkload.share(of: operationCount, thread: threadIndex, threads: threadCount)
  }
}
