import FasterPlatform
import Synchronization

/// A store's checkpoint machinery: the system state word, the session registry, the
/// one-checkpoint-at-a-time flag and what recovery restored.
///
/// Thread safety: the state word is atomic; the rest is under control locks.
final class CheckpointCoordinator: @unchecked Sendable {
  /// One cache line holding the system state word (`SystemState`).
  let stateMemory: UnsafeMutableRawPointer
  let running = Atomic<Bool>(false)
  let sessions = ControlLock<[SessionRegistration]>([])
  /// Commit points of the recovered checkpoint not yet taken by `continueSession`, carried
  /// into the next checkpoints.
  let recoveredPoints = ControlLock<[String: SessionCommitPoint]>([:])
  let recovered = ControlLock<(info: CheckpointInfo?, report: RecoveryReport?)>((nil, nil))
  /// What the next incremental snapshot applies on top of; nil until this store takes a
  /// snapshot, and again after a fold-over or a failed checkpoint.
  let incrementalBase = ControlLock<IncrementalSnapshotBase?>(nil)

  init(version: UInt64) {
    stateMemory = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 64)
    stateMemory.initializeMemory(as: UInt8.self, repeating: 0, count: 64)
    stateWord.store(SystemState(phase: .rest, version: version).rawValue, .sequentiallyConsistent)
  }

  deinit { stateMemory.deallocate() }

  var stateWord: AtomicWord { AtomicWord(stateMemory) }
  var state: SystemState { SystemState(rawValue: stateWord.load(.sequentiallyConsistent)) }

  func register(_ registration: SessionRegistration) {
    sessions.withLock { $0.append(registration) }
  }
}
