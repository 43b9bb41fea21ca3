import FasterPlatform

/// Blocks a thread until an `IOCompletion` delivers its result: for the blocking paths (flush of
/// `FaultInjectingDevice`, tests, tools), never for the hybrid log's hot path.
///
/// Thread safety: `finish` once from any thread; `wait` from one thread.
public final class CompletionWaiter: @unchecked Sendable {
  // @unchecked Sendable: `result` is guarded by `lock`.
  private let lock = PThreadLock()
  private var result: Result<Int, DeviceError>?

  public init() {}

  /// Records the result and wakes the waiter.
  public func finish(_ result: Result<Int, DeviceError>) {
    lock.withLock {
      precondition(self.result == nil, "an I/O completed twice")
      self.result = result
      lock.broadcast()
    }
  }

  /// Waits for `finish` and returns its result.
  public func wait() -> Result<Int, DeviceError> {
    lock.withLock {
      while result == nil { lock.wait() }
      return result!
    }
  }
}
