import Synchronization

/// The start barrier and shared clock marks of one phase.
///
/// Workers announce readiness (pinned, session open) with ``arrive()``; the coordinator waits for
/// all of them, then publishes one start tick, so every thread's schedule (throttling, warm-up,
/// time bound, status intervals) counts from the same instant.
///
/// Thread safety: atomics only.
final class PhaseControl: Sendable {
  private let readyCount = Atomic<Int>(0)
  private let startTickValue = Atomic<UInt64>(0)
  private let abortFlag = Atomic<Bool>(false)
  let finishedCount = Atomic<Int>(0)

  func arrive() {
    readyCount.add(1, ordering: .releasing)
  }

  var arrivedCount: Int { readyCount.load(ordering: .acquiring) }

  /// Publishes the start tick (non-zero), releasing the waiting workers.
  func start(atTick tick: UInt64) {
    precondition(tick != 0, "PhaseControl: the start tick must be non-zero")
    startTickValue.store(tick, ordering: .releasing)
  }

  /// Tells waiting workers to give up (a worker failed to start).
  func abort() {
    abortFlag.store(true, ordering: .releasing)
  }

  var isAborted: Bool { abortFlag.load(ordering: .acquiring) }

  /// Waits for ``start(atTick:)`` (or an abort, returning nil); sleeps in short steps, as the
  /// wait lasts only while the other threads open their sessions.
  func waitForStart() -> UInt64? {
    while true {
      let tick = startTickValue.load(ordering: .acquiring)
      if tick != 0 { return tick }
      if isAborted { return nil }
      Sleep.microseconds(50)
    }
  }
}
