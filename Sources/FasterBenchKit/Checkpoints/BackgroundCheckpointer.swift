import FasterCore
import FasterPlatform
import Synchronization

/// Takes a checkpoint every `faster.checkpoint.interval` seconds on its own thread while the
/// workers run (`faster.checkpoint.*`): the workers never stop, the engine moves their
/// sessions to the next version at their refreshes.
///
/// The first checkpoint is taken one interval after `start`; a checkpoint that takes longer
/// than the interval is followed at once by the next. The first failure stops the thread and
/// is kept for the run's record (a checkpoint failure fails the run).
///
/// Thread safety: `start` and `stop` from the runner's thread; the records are written by the
/// checkpointer's thread under a lock and read after `stop` has joined it.
final class BackgroundCheckpointer: Sendable {
  /// Takes one checkpoint and returns when it is durable.
  typealias Take = @Sendable (CheckpointRequest) throws(BindingError) -> CheckpointInfo

  private let take: Take
  private let knobs: EngineKnobs
  private let clock: CycleClock
  private let stopRequested = Atomic<Bool>(false)
  private let finished = Atomic<Bool>(false)
  private let state = ControlLock<(records: [CheckpointRecord], failure: String?)>(([], nil))

  init(knobs: EngineKnobs, clock: CycleClock, take: @escaping Take) {
    self.knobs = knobs
    self.clock = clock
    self.take = take
  }

  /// Starts the thread; `originTick` is the phase's measurement start (the records' zero).
  ///
  /// - Throws: ``BindingError`` when the thread cannot be created.
  func start(originTick: UInt64) throws(BindingError) {
    do {
      try WorkerThread.start { [self] in self.loop(originTick: originTick) }
    } catch {
      throw BindingError("cannot start the checkpoint thread: \(error.description)")
    }
  }

  /// Stops the thread (after the checkpoint in flight, if any, is durable) and returns every
  /// checkpoint taken and the first failure.
  func stop() -> (records: [CheckpointRecord], failure: String?) {
    stopRequested.store(true, ordering: .releasing)
    while !finished.load(ordering: .acquiring) { Sleep.microseconds(1000) }
    return state.withLock { $0 }
  }

  private func loop(originTick: UInt64) {
    defer { finished.store(true, ordering: .releasing) }
    let intervalNanoseconds = UInt64(knobs.checkpointIntervalSeconds * 1e9)
    var number = 0
    var due = monotonicNanoseconds() &+ intervalNanoseconds
    while true {
      // Sleep in short slices so `stop` never waits a whole interval.
      while monotonicNanoseconds() < due {
        if stopRequested.load(ordering: .acquiring) { return }
        Sleep.microseconds(Int(min(10_000, (due &- monotonicNanoseconds()) / 1000 + 1)))
      }
      if stopRequested.load(ordering: .acquiring) { return }
      number += 1
      let includesIndex = knobs.checkpointIncludesIndex(number)
      let startTick = CycleClock.now()
      let startSeconds =
        startTick >= originTick
        ? clock.nanoseconds(startTick &- originTick) / 1e9 : -clock.nanoseconds(originTick &- startTick) / 1e9
      do {
        let info = try take(CheckpointRequest(kind: knobs.checkpointKind, includeIndex: includesIndex))
        let record = CheckpointRecord(
          number: number, startSeconds: startSeconds, info: info, includesIndex: includesIndex)
        state.withLock { $0.records.append(record) }
      } catch {
        let message = "checkpoint \(number) (\(knobs.checkpointKind.rawValue)) failed: \(error.description)"
        state.withLock { $0.failure = message }
        return
      }
      due = max(due &+ intervalNanoseconds, monotonicNanoseconds())
    }
  }
}
