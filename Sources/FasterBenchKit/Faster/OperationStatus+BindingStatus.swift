import FasterCore

extension BindingStatus {
  /// The report's return code for an engine status: `.pending` counts as OK (the in-memory
  /// engine never returns it; with the disk tier the operation completes in completePending),
  /// every failure (out of memory, record too large, buffer too small, device error) as ERROR.
  @inline(__always)
  init(_ status: OperationStatus) {
    switch status {
    case .ok, .pending: self = .ok
    case .notFound: self = .notFound
    default: self = .error  // outOfMemory, recordTooLarge, bufferTooSmall, deviceError, ...
    }
  }
}
