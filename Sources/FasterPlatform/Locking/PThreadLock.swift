#if canImport(Glibc)
  import Glibc
#endif

/// A pthread mutex with one condition variable: the one lock primitive of the library,
/// its tests and the benchmark (`ControlLock` puts a value behind it). Never used on the
/// hot path.
///
/// Not `Synchronization.Mutex`: the thread sanitizer does not see through its futex and reports
/// false races, while it understands pthread mutexes and condition variables.
///
/// The mutex and condition live in heap memory of their own (pthread objects must not move), owned
/// by this non-copyable value and destroyed in `deinit`.
///
/// Thread safety: `lock`, `unlock`, `withLock`, `wait` and the signals may be used from any thread;
/// `wait` and the signals require the lock to be held by the caller.
public struct PThreadLock: ~Copyable, @unchecked Sendable {
  // @unchecked Sendable: the pointees are only touched through pthread calls, which synchronize.
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>
  private let condition: UnsafeMutablePointer<pthread_cond_t>

  public init() {
    mutex = .allocate(capacity: 1)
    condition = .allocate(capacity: 1)
    // Safety: freshly allocated, uninitialized storage that pthread_*_init fills; default attributes.
    let mutexStatus = pthread_mutex_init(mutex, nil)
    precondition(mutexStatus == 0, "pthread_mutex_init failed with \(mutexStatus)")
    var attributes = pthread_condattr_t()
    pthread_condattr_init(&attributes)
    pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
    let conditionStatus = pthread_cond_init(condition, &attributes)
    pthread_condattr_destroy(&attributes)
    precondition(conditionStatus == 0, "pthread_cond_init failed with \(conditionStatus)")
  }

  deinit {
    // Safety: no thread can hold or wait on the lock once its owner is being destroyed.
    pthread_cond_destroy(condition)
    pthread_mutex_destroy(mutex)
    condition.deallocate()
    mutex.deallocate()
  }

  public func lock() {
    let status = pthread_mutex_lock(mutex)
    precondition(status == 0, "pthread_mutex_lock failed with \(status)")
  }

  public func unlock() {
    let status = pthread_mutex_unlock(mutex)
    precondition(status == 0, "pthread_mutex_unlock failed with \(status)")
  }

  public func withLock<Value, Failure: Error>(_ body: () throws(Failure) -> Value) throws(Failure) -> Value {
    lock()
    defer { unlock() }
    return try body()
  }

  /// Releases the lock, sleeps until signalled (or spuriously), and takes the lock again.
  public func wait() {
    let status = pthread_cond_wait(condition, mutex)
    precondition(status == 0, "pthread_cond_wait failed with \(status)")
  }

  /// Like `wait()`, but returns after at most `nanoseconds` (CLOCK_MONOTONIC).
  public func wait(timeoutNanoseconds nanoseconds: UInt64) {
    var deadline = timespec()
    clock_gettime(CLOCK_MONOTONIC, &deadline)
    let total = UInt64(deadline.tv_nsec) + nanoseconds
    deadline.tv_sec += Int(total / 1_000_000_000)
    deadline.tv_nsec = Int(total % 1_000_000_000)
    let status = pthread_cond_timedwait(condition, mutex, &deadline)
    precondition(status == 0 || status == ETIMEDOUT, "pthread_cond_timedwait failed with \(status)")
  }

  /// Wakes every waiter.
  public func broadcast() {
    pthread_cond_broadcast(condition)
  }

  /// Wakes one waiter.
  public func signal() {
    pthread_cond_signal(condition)
  }
}
