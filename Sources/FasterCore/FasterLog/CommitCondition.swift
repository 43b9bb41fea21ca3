#if canImport(Glibc)
  import Glibc
#endif

/// A value guarded by a pthread mutex, with a condition variable to sleep on until it
/// changes: the FasterLog commit worker's mailbox. Control plane only (never taken per
/// entry, only when a commit is requested or completes).
///
/// Not `Synchronization.Mutex`, for the thread sanitizer's sake (see `ControlLock`).
///
/// Thread safety: that is its purpose; `wait` and `signal` need the lock held (inside
/// `withLock`).
final class CommitCondition<Value>: @unchecked Sendable {
  // @unchecked Sendable: `storage` is only touched with `mutex` held.
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>
  private let condition: UnsafeMutablePointer<pthread_cond_t>
  /// Heap storage, handed to `withLock` bodies as a pointer (never `inout`): a body that
  /// waits on the condition must re-read the value after each wait, and an `inout`
  /// parameter would let the optimizer assume nobody else changes it meanwhile (an
  /// optimized build then spun forever on a stale `closing == false`).
  private let storage: UnsafeMutablePointer<Value>

  init(_ value: Value) {
    storage = .allocate(capacity: 1)
    storage.initialize(to: value)
    mutex = .allocate(capacity: 1)
    condition = .allocate(capacity: 1)
    // Safety: fresh storage that pthread_*_init fills; the pointees never move.
    precondition(pthread_mutex_init(mutex, nil) == 0, "pthread_mutex_init failed")
    var attributes = pthread_condattr_t()
    pthread_condattr_init(&attributes)
    pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
    precondition(pthread_cond_init(condition, &attributes) == 0, "pthread_cond_init failed")
    pthread_condattr_destroy(&attributes)
  }

  deinit {
    pthread_cond_destroy(condition)
    pthread_mutex_destroy(mutex)
    condition.deallocate()
    mutex.deallocate()
    storage.deinitialize(count: 1)
    storage.deallocate()
  }

  /// Runs `body` with the lock held and the value's storage. `body` may call `wait`
  /// (through the handle passed in); it reads the value through the pointer after waiting.
  func withLock<Result>(_ body: (UnsafeMutablePointer<Value>, Waiting) throws -> Result) rethrows -> Result {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    // Safety: `storage` is only touched with `mutex` held.
    return try body(storage, Waiting(mutex: mutex, condition: condition))
  }

  /// Wakes every thread sleeping in `Waiting.wait`. Takes the lock.
  func broadcast() {
    pthread_mutex_lock(mutex)
    pthread_cond_broadcast(condition)
    pthread_mutex_unlock(mutex)
  }

  /// Sleeping on the condition, from inside `withLock`.
  struct Waiting {
    let mutex: UnsafeMutablePointer<pthread_mutex_t>
    let condition: UnsafeMutablePointer<pthread_cond_t>

    /// Releases the lock, sleeps until signalled (or spuriously, or after
    /// `timeoutNanoseconds` when given), and takes the lock again.
    func wait(timeoutNanoseconds: UInt64? = nil) {
      guard let timeoutNanoseconds else {
        pthread_cond_wait(condition, mutex)
        return
      }
      var deadline = timespec()
      clock_gettime(CLOCK_MONOTONIC, &deadline)
      let total = UInt64(deadline.tv_nsec) + timeoutNanoseconds
      deadline.tv_sec += Int(total / 1_000_000_000)
      deadline.tv_nsec = Int(total % 1_000_000_000)
      pthread_cond_timedwait(condition, mutex, &deadline)
    }

    /// Wakes every sleeper (the lock is held by the caller).
    func broadcast() { pthread_cond_broadcast(condition) }
  }
}
