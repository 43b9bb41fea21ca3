import YCSB

/// What a record looks like for one benchmark: the record mode, YCSB's field layout and key naming.
///
/// In `.compact` mode the key is the key number itself (8 bytes) and the value 8 bytes. In `.ycsb`
/// mode the key is YCSB's name (`"user"` + digits, hashed or ordered, zero padded) and the value is
/// `fieldCount x fieldLength` bytes, field `i` at offset `i * fieldLength`.
public struct RecordShape: Sendable, Equatable {
  public var mode: RecordMode
  public var fieldCount: Int
  public var fieldLength: Int
  public var insertOrderHashed: Bool
  public var zeroPadding: Int

  /// The longest key name a benchmark builds: `"user"` plus up to 20 digits or the zero padding.
  public var maximumKeyNameBytes: Int { 4 + max(20, zeroPadding) }

  /// Bytes of one value: 8 in compact mode, `fieldCount * fieldLength` in ycsb mode.
  public var valueBytes: Int { mode == .compact ? 8 : fieldCount * fieldLength }

  public init(mode: RecordMode, fieldCount: Int, fieldLength: Int, insertOrderHashed: Bool, zeroPadding: Int)
  {
    precondition(fieldCount >= 1 && fieldLength >= 1, "RecordShape: fields must be non-empty")
    self.mode = mode
    self.fieldCount = fieldCount
    self.fieldLength = fieldLength
    self.insertOrderHashed = insertOrderHashed
    self.zeroPadding = zeroPadding
  }

  public init(workload: CoreWorkload, mode: RecordMode) {
    self.init(
      mode: mode, fieldCount: max(1, workload.fieldCount), fieldLength: max(1, workload.fieldLength),
      insertOrderHashed: workload.insertOrderHashed, zeroPadding: workload.zeroPadding)
  }

  /// Writes the YCSB key name of `keyNumber` into `buffer`; returns its length in bytes.
  ///
  /// - Precondition: `buffer.count >= maximumKeyNameBytes`.
  @inline(__always)
  public func writeKeyName(_ keyNumber: UInt64, into buffer: UnsafeMutableRawBufferPointer) -> Int {
    KeyNames.keyNumberToName(keyNumber, hashed: insertOrderHashed, zeroPadding: zeroPadding, into: buffer)
  }
}
