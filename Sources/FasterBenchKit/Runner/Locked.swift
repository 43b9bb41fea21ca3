#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A value behind a `pthread_mutex_t`, for the runner's control-plane state shared between the
/// worker threads and the coordinator (interval mailboxes, outcomes, warnings).
///
/// Why not `Synchronization.Mutex`: its Linux lock lives in the uninstrumented standard library,
/// so the thread sanitizer cannot see the happens-before edge it creates and reports races that
/// are not there; pthread mutexes are intercepted by the sanitizer. Not on any hot path.
///
/// Thread safety: `value` is only touched between `pthread_mutex_lock` and `unlock` in ``withLock(_:)``.
final class Locked<Value>: @unchecked Sendable {
  // @unchecked Sendable: see the thread-safety line above.
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>
  private var value: Value

  init(_ value: Value) {
    self.value = value
    mutex = .allocate(capacity: 1)
    mutex.initialize(to: pthread_mutex_t())
    let result = pthread_mutex_init(mutex, nil)
    precondition(result == 0, "pthread_mutex_init failed: \(result)")
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deinitialize(count: 1)
    mutex.deallocate()
  }

  func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body(&value)
  }
}
