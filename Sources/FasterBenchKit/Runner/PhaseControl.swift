import Foundation
import Synchronization

/// The start barrier and shared clock marks of one phase.
///
/// Workers announce readiness (pinned, session open) with ``arrive()``; the coordinator waits for
/// all of them, then publishes one start tick, so every thread's schedule (throttling, warm-up,
/// time bound, status intervals) counts from the same instant.
///
/// The waits block on a condition variable rather than polling: with hundreds of threads on two
/// CPUs, polling sleepers would keep the CPUs busy while the last sessions open, and start-up
/// would look like a hang.
///
/// Thread safety: `ready`, `startTickValue` and `aborted` are guarded by `condition`
/// (hence `@unchecked Sendable`); `finishedCount` is atomic.
final class PhaseControl: @unchecked Sendable {
  private let condition = NSCondition()
  private var ready = 0
  private var startTickValue: UInt64 = 0
  private var aborted = false
  let finishedCount = Atomic<Int>(0)

  func arrive() {
    condition.withLock {
      ready += 1
      condition.broadcast()
    }
  }

  var arrivedCount: Int { condition.withLock { ready } }

  /// Blocks until `count` workers have arrived.
  func waitForArrivals(_ count: Int) {
    condition.withLock {
      while ready < count { condition.wait() }
    }
  }

  /// Publishes the start tick (non-zero), releasing the waiting workers.
  func start(atTick tick: UInt64) {
    precondition(tick != 0, "PhaseControl: the start tick must be non-zero")
    condition.withLock {
      startTickValue = tick
      condition.broadcast()
    }
  }

  /// Tells waiting workers to give up (a worker failed to start).
  func abort() {
    condition.withLock {
      aborted = true
      condition.broadcast()
    }
  }

  var isAborted: Bool { condition.withLock { aborted } }

  /// Waits for ``start(atTick:)`` (or an abort, returning nil).
  func waitForStart() -> UInt64? {
    condition.withLock {
      while startTickValue == 0 && !aborted { condition.wait() }
      return startTickValue != 0 ? startTickValue : nil
    }
  }
}
