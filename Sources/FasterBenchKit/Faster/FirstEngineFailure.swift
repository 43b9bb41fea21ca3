import FasterCore
import Synchronization

/// The engine status of the first operation that failed in a run, for the run's error summary:
/// the report's `Return=ERROR` lumps every failure together, the summary names the cause.
///
/// Thread safety: one atomic, written once (by whichever worker fails first).
final class FirstEngineFailure: Sendable {
  /// 0 until a failure, then the status's raw value + 1.
  private let recorded = Atomic<UInt8>(0)

  /// Returns `status`, noting it when it is the run's first failure. Off the hot path: only a
  /// failed status reaches the atomic.
  @inline(__always)
  func noting(_ status: OperationStatus) -> OperationStatus {
    if _slowPath(status.isError) { note(status) }
    return status
  }

  @inline(never)
  private func note(_ status: OperationStatus) {
    _ = recorded.compareExchange(expected: 0, desired: status.rawValue &+ 1, ordering: .relaxed)
  }

  /// What went wrong and what to do; the device's own message when it has one.
  func description(lastDeviceError: String?) -> String? {
    let raw = recorded.load(ordering: .relaxed)
    if let lastDeviceError { return KnobVocabulary.translate(lastDeviceError) }
    guard raw > 0, let status = OperationStatus(rawValue: raw - 1) else { return nil }
    switch status {
    case .outOfMemory:
      return "out of memory: the memory-only log is full or the index has no free overflow bucket "
        + "(raise faster.log.memory or faster.index.size, or give the log a faster.device)"
    case .recordTooLarge:
      return "a record is larger than a log page (raise faster.log.pagesize)"
    case .bufferTooSmall:
      return "a value was longer than the read buffer"
    case .deviceError:
      return "the storage device failed"
    default:
      return "the engine returned \(status)"
    }
  }
}
