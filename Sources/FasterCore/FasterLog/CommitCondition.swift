import FasterPlatform

/// A value guarded by the library's `PThreadLock`, with its condition variable to sleep on
/// until the value changes: the FasterLog commit worker's mailbox. Control plane only
/// (never taken per entry, only when a commit is requested or completes).
///
/// Thread safety: that is its purpose; `Waiting.wait` and `Waiting.broadcast` need the
/// lock held (inside `withLock`).
final class CommitCondition<Value>: @unchecked Sendable {
  // @unchecked Sendable: `storage` is only touched with `lock` held.
  fileprivate let lock = PThreadLock()
  /// Heap storage, handed to `withLock` bodies as a pointer (never `inout`): a body that
  /// waits on the condition must re-read the value after each wait, and an `inout`
  /// parameter would let the optimizer assume nobody else changes it meanwhile (an
  /// optimized build then spun forever on a stale `closing == false`).
  private let storage: UnsafeMutablePointer<Value>

  init(_ value: Value) {
    storage = .allocate(capacity: 1)
    storage.initialize(to: value)
  }

  deinit {
    storage.deinitialize(count: 1)
    storage.deallocate()
  }

  /// Runs `body` with the lock held and the value's storage. `body` may call `wait`
  /// (through the handle passed in); it reads the value through the pointer after waiting.
  func withLock<Result>(_ body: (UnsafeMutablePointer<Value>, Waiting) throws -> Result) rethrows -> Result {
    lock.lock()
    defer { lock.unlock() }
    // Safety: `storage` is only touched with `lock` held.
    return try body(storage, Waiting(owner: self))
  }

  /// Wakes every thread sleeping in `Waiting.wait`. Takes the lock.
  func broadcast() {
    lock.lock()
    lock.broadcast()
    lock.unlock()
  }

  /// Sleeping on the condition, from inside `withLock`.
  struct Waiting {
    unowned let owner: CommitCondition

    /// Releases the lock, sleeps until signalled (or spuriously, or after
    /// `timeoutNanoseconds` when given), and takes the lock again.
    func wait(timeoutNanoseconds: UInt64? = nil) {
      if let timeoutNanoseconds {
        owner.lock.wait(timeoutNanoseconds: timeoutNanoseconds)
      } else {
        owner.lock.wait()
      }
    }

    /// Wakes every sleeper (the lock is held by the caller).
    func broadcast() { owner.lock.broadcast() }
  }
}
