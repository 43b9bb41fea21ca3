import FasterPlatform

/// Holds `count` threads until all have arrived, then releases them together; reusable.
///
/// Thread safety: that is its purpose.
public final class ThreadBarrier: @unchecked Sendable {
  // @unchecked Sendable: `arrived` and `generation` are only touched under `lock`.
  private let lock = PThreadLock()
  private let count: Int
  private var arrived = 0
  private var generation = 0

  public init(_ count: Int) {
    precondition(count > 0)
    self.count = count
  }

  public func arriveAndWait() {
    lock.withLock {
      let myGeneration = generation
      arrived += 1
      if arrived == count {
        arrived = 0
        generation += 1
        lock.broadcast()
      } else {
        while generation == myGeneration { lock.wait() }
      }
    }
  }
}
