import FasterPlatform

/// Where a worker leaves its measurements at each status-interval boundary, for the reporting
/// thread to take: the worker adds under the lock; the reporter swaps the contents out.
///
/// Thread safety: any thread; the contents are only touched under the mutex.
final class IntervalMailbox: Sendable {
  private let pending: ControlLock<OperationMeasurements>
  private let recordsActual: Bool
  private let recordsIntended: Bool

  init(recordsActual: Bool, recordsIntended: Bool) {
    self.recordsActual = recordsActual
    self.recordsIntended = recordsIntended
    pending = ControlLock(
      OperationMeasurements(recordsActual: recordsActual, recordsIntended: recordsIntended))
  }

  /// Adds `measurements` to what waits here.
  func deposit(_ measurements: OperationMeasurements) {
    pending.withLock { $0.add(measurements) }
  }

  /// Takes everything deposited since the last take.
  func take() -> OperationMeasurements {
    var fresh = OperationMeasurements(recordsActual: recordsActual, recordsIntended: recordsIntended)
    pending.withLock { swap(&$0, &fresh) }
    return fresh
  }
}
