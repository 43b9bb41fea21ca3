#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A mutex for control-plane state (epoch drain list, overflow page list), on
/// `pthread_mutex_t`.
///
/// Why not `Synchronization.Mutex`: the thread sanitizer intercepts pthread mutexes but
/// cannot see the futex protocol inside the (uninstrumented) standard library, so it
/// reports every access under a `Mutex` as a race. Never used on the hot path.
///
/// Thread safety: that is its purpose.
final class ControlLock<Value>: @unchecked Sendable {
  // @unchecked Sendable: `value` is only touched with `mutex` held.
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>
  private var value: Value

  init(_ value: Value) {
    self.value = value
    mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    let status = pthread_mutex_init(mutex, nil)
    precondition(status == 0, "pthread_mutex_init failed: \(status)")
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
  }

  func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body(&value)
  }
}

extension ControlLock where Value == Int {
  /// Increments the count and returns the value before.
  func add() -> Int {
    withLock { value in
      defer { value += 1 }; return value
    }
  }
}
