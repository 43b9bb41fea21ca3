/// Batched operations on byte-string keys and values: the pipeline and semantics of
/// `FasterSession+Batch.swift` (one by one, in order, each with its serial number).
extension FasterSession where Layout == VariableLengthRecord {
  /// Reads every key into the buffer at the same position of `values`, its length into
  /// `valueLengths` and its status into `statuses` (as `read(key:into:valueLength:)`).
  @inlinable
  public func read(
    batch keys: UnsafeBufferPointer<UnsafeRawBufferPointer>,
    into values: UnsafeBufferPointer<UnsafeMutableRawBufferPointer>,
    valueLengths: UnsafeMutableBufferPointer<Int>, statuses: UnsafeMutableBufferPointer<OperationStatus>
  ) {
    precondition(
      values.count >= keys.count && valueLengths.count >= keys.count && statuses.count >= keys.count,
      "result buffers too short")
    pipelined(count: keys.count, key: { keys[$0] }) { index in
      statuses[index] = read(key: keys[index], into: values[index], valueLength: &valueLengths[index])
    }
  }

  /// Upserts `values[i]` for `keys[i]`, in order; statuses as `upsert(key:value:)`.
  @inlinable
  public func upsert(
    batch keys: UnsafeBufferPointer<UnsafeRawBufferPointer>,
    values: UnsafeBufferPointer<UnsafeRawBufferPointer>,
    statuses: UnsafeMutableBufferPointer<OperationStatus>
  ) {
    precondition(values.count >= keys.count && statuses.count >= keys.count, "buffers too short")
    pipelined(count: keys.count, key: { keys[$0] }) { index in
      statuses[index] = upsert(key: keys[index], value: values[index])
    }
  }

  /// Applies `update` to every key, in order; statuses as `rmw(key:_:)`.
  @inlinable
  public func rmw<U: ByteUpdate>(
    batch keys: UnsafeBufferPointer<UnsafeRawBufferPointer>, _ update: U,
    statuses: UnsafeMutableBufferPointer<OperationStatus>
  ) {
    precondition(statuses.count >= keys.count, "status buffer too short")
    pipelined(count: keys.count, key: { keys[$0] }) { index in
      statuses[index] = rmw(key: keys[index], update)
    }
  }

  /// Deletes every key, in order; statuses as `delete(key:)`.
  @inlinable
  public func delete(
    batch keys: UnsafeBufferPointer<UnsafeRawBufferPointer>,
    statuses: UnsafeMutableBufferPointer<OperationStatus>
  ) {
    precondition(statuses.count >= keys.count, "status buffer too short")
    pipelined(count: keys.count, key: { keys[$0] }) { index in
      statuses[index] = delete(key: keys[index])
    }
  }
}
