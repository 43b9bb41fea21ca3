extension FasterSession where Layout == VariableLengthRecord {
  /// Reads the value of `key` into `buffer`; `valueLength` is set to its length. Returns
  /// `.ok`, `.notFound`, `.pending`, or `.bufferTooSmall` (nothing copied; `valueLength`
  /// is the length needed).
  @inlinable
  public func read(
    key: UnsafeRawBufferPointer, into buffer: UnsafeMutableRawBufferPointer, valueLength: inout Int
  ) -> OperationStatus {
    beginOperation()
    var operation = VariableLengthRead(buffer: buffer)
    let status = core.read(key, &operation)
    if status == .ok || status == .bufferTooSmall { valueLength = operation.valueLength }
    return status
  }

  /// Sets `key` to `value`: in place when the record is mutable and the value fits its
  /// capacity, else a new record at the tail.
  @inlinable
  public func upsert(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) -> OperationStatus {
    beginOperation()
    guard key.count <= VariableLengthRecord.maxLength, value.count <= VariableLengthRecord.maxLength else {
      return .recordTooLarge
    }
    return core.upsert(key, VariableLengthUpsert(key: key, value: value), version: version)
  }

  /// Read-modify-write with FASTER's three functions (see `ByteUpdate`).
  @inlinable
  public func rmw<U: ByteUpdate>(key: UnsafeRawBufferPointer, _ update: U) -> OperationStatus {
    beginOperation()
    guard key.count <= VariableLengthRecord.maxLength else { return .recordTooLarge }
    var operation = VariableLengthReadModifyWrite(key: key, update: update, scratch: scratch)
    return core.readModifyWrite(key, &operation, version: version, epochSlot: epochSlot)
  }

  /// Deletes `key` (a tombstone). Returns `.ok`, or `.notFound` when the index has no
  /// entry for the key's hash.
  @inlinable
  public func delete(key: UnsafeRawBufferPointer) -> OperationStatus {
    beginOperation()
    return core.delete(key, version: version)
  }
}
