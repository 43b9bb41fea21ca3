/// A value behind a `PThreadLock`, for control-plane state shared between threads: the
/// epoch drain list, flush bookkeeping, overflow pages, device errors, the benchmark's
/// mailboxes.
///
/// Why a pthread mutex and not `Synchronization.Mutex`: the thread sanitizer intercepts
/// pthread mutexes but cannot see the futex protocol inside the (uninstrumented) standard
/// library, so it reports every access under a `Mutex` as a race. Never on the hot path.
///
/// Thread safety: `value` is only touched inside `withLock`.
public final class ControlLock<Value>: @unchecked Sendable {
  // @unchecked Sendable: `value` is only touched with `lock` held.
  private let lock = PThreadLock()
  private var value: Value

  public init(_ value: Value) { self.value = value }

  /// Runs `body` on the value with the lock held.
  public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    lock.lock()
    defer { lock.unlock() }
    return try body(&value)
  }
}
