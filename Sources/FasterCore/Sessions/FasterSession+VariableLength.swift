extension FasterSession where Layout == VariableLengthRecord {
  /// Reads the value of `key` into `buffer`; `valueLength` is set to its length. Returns
  /// `.ok`, `.notFound`, `.pending` (the value comes from `completePendingWithResults`),
  /// `.bufferTooSmall` (nothing copied; `valueLength` is the length needed), or an error.
  @inlinable
  public func read(
    key: UnsafeRawBufferPointer, into buffer: UnsafeMutableRawBufferPointer, valueLength: inout Int
  ) -> OperationStatus {
    beginOperation()
    var operation = VariableLengthRead(buffer: buffer)
    var pending = PendingRequest()
    let status = core.read(key, &operation, pending: &pending)
    if status == .ok || status == .bufferTooSmall {
      valueLength = operation.valueLength
    } else if status == .pending {
      startPendingRead(key: key, request: pending)
    }
    counters.countIssued(.read, status)
    return status
  }

  /// Sets `key` to `value`: in place when the record is mutable and the value fits its
  /// capacity, else a new record at the tail. Never pending.
  @inlinable
  public func upsert(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) -> OperationStatus {
    beginOperation()
    guard key.count <= VariableLengthRecord.maxLength, value.count <= VariableLengthRecord.maxLength else {
      counters.countIssued(.upsert, .recordTooLarge)
      return .recordTooLarge
    }
    let status = core.upsert(key, VariableLengthUpsert(key: key, value: value), context: context)
    counters.countIssued(.upsert, status)
    return status
  }

  /// Read-modify-write with FASTER's three functions (see `ByteUpdate`). `.pending` when
  /// the old value is on the device.
  @inlinable
  public func rmw<U: ByteUpdate>(key: UnsafeRawBufferPointer, _ update: U) -> OperationStatus {
    beginOperation()
    guard key.count <= VariableLengthRecord.maxLength else {
      counters.countIssued(.rmw, .recordTooLarge)
      return .recordTooLarge
    }
    var operation = VariableLengthReadModifyWrite(key: key, update: update)
    var pending = PendingRequest()
    let status = core.readModifyWrite(key, &operation, context: context, pending: &pending)
    if status == .pending { startPendingByteRMW(key: key, update: update, request: pending) }
    counters.countIssued(.rmw, status)
    return status
  }

  /// Deletes `key` (a tombstone). Returns `.ok`, or `.notFound` when the index has no
  /// entry for the key's hash. Never pending.
  @inlinable
  public func delete(key: UnsafeRawBufferPointer) -> OperationStatus {
    beginOperation()
    let status = core.delete(key, context: context)
    counters.countIssued(.delete, status)
    return status
  }

  @usableFromInline
  func startPendingByteRMW<U: ByteUpdate>(key: UnsafeRawBufferPointer, update: U, request: PendingRequest) {
    startPending(
      kind: .readModifyWrite, key: key, request: request, resume: Self.resumeByteRMW(update),
      delivery: .queue(completions))
  }

  static func resumeByteRMW<U: ByteUpdate>(_ update: U) -> PendingOperation<Layout>.Resume {
    { core, key, deviceRecord, expectedEntryAddress, context, pending in
      var operation = VariableLengthReadModifyWrite(key: key, update: update)
      return core.readModifyWriteAfterRead(
        key, &operation, diskRecord: deviceRecord, expectedEntryAddress: expectedEntryAddress,
        context: context,
        pending: &pending)
    }
  }
}
