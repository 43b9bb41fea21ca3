#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A session's inbox of pending-operation outcomes, filled by I/O completion threads and
/// drained by the session's `completePending`.
///
/// Thread safety: any thread may push; one thread (the session's) takes. A pthread mutex
/// and condition variable (which the thread sanitizer understands).
final class CompletionQueue<Layout: RecordLayout>: @unchecked Sendable {
  // @unchecked Sendable: `items` is only touched with `mutex` held.
  private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
  private var items: [(PendingOperation<Layout>, PendingOutcome<Layout>)] = []

  init() {
    pthread_mutex_init(mutex, nil)
    pthread_cond_init(condition, nil)
  }

  deinit {
    pthread_cond_destroy(condition)
    pthread_mutex_destroy(mutex)
    condition.deallocate()
    mutex.deallocate()
  }

  func push(_ operation: PendingOperation<Layout>, _ outcome: PendingOutcome<Layout>) {
    pthread_mutex_lock(mutex)
    items.append((operation, outcome))
    pthread_cond_signal(condition)
    pthread_mutex_unlock(mutex)
  }

  /// Everything queued; with `wait`, blocks up to `timeoutMilliseconds` for a first item.
  func takeAll(wait: Bool, timeoutMilliseconds: Int = 100) -> [(
    PendingOperation<Layout>, PendingOutcome<Layout>
  )] {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    if wait && items.isEmpty {
      var now = timespec()
      clock_gettime(CLOCK_REALTIME, &now)
      var deadline = now
      let nanoseconds = Int(now.tv_nsec) + timeoutMilliseconds * 1_000_000
      deadline.tv_sec += nanoseconds / 1_000_000_000
      deadline.tv_nsec = nanoseconds % 1_000_000_000
      _ = pthread_cond_timedwait(condition, mutex, &deadline)
    }
    let taken = items
    items.removeAll(keepingCapacity: true)
    return taken
  }
}
