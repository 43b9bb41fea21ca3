extension FasterSession {
  /// Reads the value of `key` into `value`. Returns `.ok`, `.notFound` or `.pending`.
  @inlinable
  public func read<K, V>(_ key: K, into value: inout V) -> OperationStatus
  where Layout == FixedSizeRecord<K, V> {
    beginOperation()
    var operation = FixedSizeRead<K, V>(value: value)
    let status = core.read(key, &operation)
    if status == .ok { value = operation.value }
    return status
  }

  /// Sets `key` to `value` (in place when the key's record is in the mutable region).
  @inlinable
  public func upsert<K, V>(_ key: K, _ value: V) -> OperationStatus
  where Layout == FixedSizeRecord<K, V> {
    beginOperation()
    return core.upsert(key, FixedSizeUpsert<K, V>(key: key, value: value), version: version)
  }

  /// Read-modify-write: `update.initialValue()` if the key has no live record, else
  /// `update.updated(old)`.
  @inlinable
  public func rmw<K, V, U: FixedSizeUpdate>(_ key: K, _ update: U) -> OperationStatus
  where Layout == FixedSizeRecord<K, V>, U.Value == V {
    beginOperation()
    var operation = FixedSizeReadModifyWrite<K, U>(key: key, update: update)
    return core.readModifyWrite(key, &operation, version: version, epochSlot: epochSlot)
  }

  /// Deletes `key` (a tombstone). Returns `.ok`, or `.notFound` when the index has no
  /// entry for the key's hash (nothing to delete).
  @inlinable
  public func delete<K, V>(_ key: K) -> OperationStatus where Layout == FixedSizeRecord<K, V> {
    beginOperation()
    return core.delete(key, version: version)
  }
}
