/// One record handed out by `FasterKV.scan`: its address, header and bytes, in private
/// memory that is valid only during the callback (copy what you keep).
public struct ScannedRecord<Layout: RecordLayout> {
  /// The record's log address.
  public let address: Address
  /// Its header: tombstone, invalid, version, previous address in its hash chain.
  public let info: RecordInfo
  /// The record's first byte (private copy).
  public let record: UnsafeRawPointer
  /// Its size in the log, in bytes.
  public let size: Int

  /// The key's bytes.
  public var keyBytes: UnsafeRawBufferPointer { Layout.keyBytes(ofRecord: record) }
  /// The value's bytes (empty for a tombstone of a variable-length store).
  public var valueBytes: UnsafeRawBufferPointer { Layout.valueBytes(ofRecord: record) }
  /// True if the record deletes its key.
  public var isTombstone: Bool { info.isTombstone }

  /// Calls `body` with the key as the store's operations take it.
  public func withKey<Result>(_ body: (Layout.Key) -> Result) -> Result {
    Layout.withRecordKey(record, body)
  }
}

extension ScannedRecord {
  /// The key of a fixed-size store's record.
  public func key<K, V>() -> K where Layout == FixedSizeRecord<K, V> {
    Layout.withRecordKey(record) { $0 }
  }

  /// The value of a fixed-size store's record.
  public func value<K, V>() -> V where Layout == FixedSizeRecord<K, V> {
    Layout.value(ofDeviceRecord: record)
  }
}
