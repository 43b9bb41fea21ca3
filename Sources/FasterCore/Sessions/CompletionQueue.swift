import FasterPlatform

/// A session's inbox of pending-operation outcomes, filled by I/O completion threads and
/// drained by the session's `completePending`.
///
/// Thread safety: any thread may push; one thread (the session's) takes. `items` is only
/// touched with `lock` held (a `PThreadLock`, which the thread sanitizer understands).
final class CompletionQueue<Layout: RecordLayout>: @unchecked Sendable {
  // @unchecked Sendable: `items` is guarded by `lock`.
  private let lock = PThreadLock()
  private var items: [(PendingOperation<Layout>, PendingOutcome<Layout>)] = []

  func push(_ operation: PendingOperation<Layout>, _ outcome: PendingOutcome<Layout>) {
    lock.withLock {
      items.append((operation, outcome))
      lock.signal()
    }
  }

  /// Everything queued; with `wait`, blocks up to `timeoutMilliseconds` for a first item.
  func takeAll(wait: Bool, timeoutMilliseconds: Int = 100) -> [(
    PendingOperation<Layout>, PendingOutcome<Layout>
  )] {
    lock.withLock {
      if wait && items.isEmpty { lock.wait(timeoutNanoseconds: UInt64(timeoutMilliseconds) * 1_000_000) }
      let taken = items
      items.removeAll(keepingCapacity: true)
      return taken
    }
  }
}
