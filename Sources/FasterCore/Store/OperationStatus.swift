/// The result of a hot-path operation (read, upsert, RMW, delete).
///
/// Operations never throw or allocate; they return one of these.
@frozen
public enum OperationStatus: UInt8, Sendable, CustomStringConvertible {
  /// Done.
  case ok
  /// The key has no live record (never written, or deleted).
  case notFound
  /// The record is on the device; the operation completes in `completePending`.
  case pending
  /// The log buffer is full and no page can be freed (no disk tier to evict to), or the
  /// index could not get an overflow bucket. Nothing was written.
  case outOfMemory
  /// The record would not fit in one log page: raise `pageSizeBytes`. Nothing was written.
  case recordTooLarge
  /// The value is longer than the read buffer; the needed length was returned.
  case bufferTooSmall
  /// The storage device failed (a read, or the flush that eviction needs). The store's
  /// `lastDeviceError` says what happened and what to do.
  case deviceError
  /// The log reached the end of its address space (48-bit addresses; with pages under
  /// 64 KiB, 2^32 pages): no page can be opened past it. Nothing was written.
  case outOfAddressSpace

  /// True for the failure cases.
  @inlinable
  public var isError: Bool {
    switch self {
    case .ok, .notFound, .pending: return false
    case .outOfMemory, .recordTooLarge, .bufferTooSmall, .deviceError, .outOfAddressSpace: return true
    }
  }

  public var description: String {
    switch self {
    case .ok: return "ok"
    case .notFound: return "notFound"
    case .pending: return "pending"
    case .outOfMemory: return "outOfMemory"
    case .recordTooLarge: return "recordTooLarge"
    case .bufferTooSmall: return "bufferTooSmall"
    case .deviceError: return "deviceError"
    case .outOfAddressSpace: return "outOfAddressSpace"
    }
  }
}
