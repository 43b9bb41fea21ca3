#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A pthread mutex with a condition variable, for test plumbing (not `Synchronization.Mutex`,
/// whose futex protocol the thread sanitizer cannot see).
///
/// Thread safety: that is its purpose; `wait()` and `broadcast()` only with the lock held.
public final class TestLock: @unchecked Sendable {
  // @unchecked Sendable: the pthread objects are used only through their thread-safe API.
  private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

  public init() {
    pthread_mutex_init(mutex, nil)
    pthread_cond_init(condition, nil)
  }

  deinit {
    pthread_cond_destroy(condition)
    pthread_mutex_destroy(mutex)
    condition.deallocate()
    mutex.deallocate()
  }

  public func withLock<R>(_ body: () throws -> R) rethrows -> R {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body()
  }

  /// Releases the lock until `broadcast()`, then takes it again (may wake spuriously).
  public func wait() { pthread_cond_wait(condition, mutex) }

  public func broadcast() { pthread_cond_broadcast(condition) }
}
