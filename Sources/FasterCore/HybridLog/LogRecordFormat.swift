/// What the hybrid log needs to know about the records laid in it to read one back from
/// the device or walk a page: how many bytes to read first and how big a record is. The
/// log itself knows no layout; the key-value store's layouts and FasterLog's entries
/// conform.
public protocol LogRecordFormat {
  /// Bytes to read first for a record on the device: enough for its header and sizes
  /// (the whole record when records have a fixed size). At least 8.
  static var initialReadSize: Int { get }
  /// The size of the record whose first `available` bytes are at `record`, as read from
  /// the device or found in a page. Never trusts the bytes: a size that cannot be right
  /// is `.corrupt`, not a crash.
  static func storedRecordSize(at record: UnsafeRawPointer, available: Int) -> StoredRecordSize
}

/// What `LogRecordFormat.storedRecordSize` found.
public enum StoredRecordSize: Sendable, Equatable {
  /// The record is this many bytes (a multiple of 8, at least 8).
  case size(Int)
  /// More bytes are needed to tell: at least this many.
  case needsBytes(Int)
  /// The bytes cannot be a record; the reason, for the error message.
  case corrupt(String)
}
