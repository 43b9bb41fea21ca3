extension FasterSession {
  /// Reads the value of `key` into `value`. Returns `.ok`, `.notFound`, `.pending` (the
  /// record is on the device: the result comes from `completePendingWithResults`), or an
  /// error status.
  @inlinable
  public func read<K, V>(_ key: K, into value: inout V) -> OperationStatus
  where Layout == FixedSizeRecord<K, V> {
    beginOperation()
    var operation = FixedSizeRead<K, V>()
    var pending = PendingRequest()
    let status = core.read(key, &operation, pending: &pending)
    if status == .ok, let found = operation.value {
      value = found
    } else if status == .pending {
      startPendingRead(key: key, request: pending)
    }
    counters.countIssued(.read, status)
    return status
  }

  /// Sets `key` to `value` (in place when the key's record is in the mutable region).
  /// Never pending: an upsert does not need the old value.
  @inlinable
  public func upsert<K, V>(_ key: K, _ value: V) -> OperationStatus
  where Layout == FixedSizeRecord<K, V> {
    beginOperation()
    let status = core.upsert(key, FixedSizeUpsert<K, V>(key: key, value: value), context: context)
    counters.countIssued(.upsert, status)
    return status
  }

  /// Read-modify-write: `update.initialValue()` if the key has no live record, else
  /// `update.updated(old)`. `.pending` when the old value is on the device (the update
  /// is applied in `completePending`).
  @inlinable
  public func rmw<K, V, U: FixedSizeUpdate>(_ key: K, _ update: U) -> OperationStatus
  where Layout == FixedSizeRecord<K, V>, U.Value == V {
    beginOperation()
    var operation = FixedSizeReadModifyWrite<K, U>(key: key, update: update)
    var pending = PendingRequest()
    let status = core.readModifyWrite(key, &operation, context: context, pending: &pending)
    if status == .pending { startPendingRMW(key: key, update: update, request: pending) }
    counters.countIssued(.rmw, status)
    return status
  }

  /// Deletes `key` (a tombstone). Returns `.ok`, or `.notFound` when the index has no
  /// entry for the key's hash (nothing to delete). Never pending.
  @inlinable
  public func delete<K, V>(_ key: K) -> OperationStatus where Layout == FixedSizeRecord<K, V> {
    beginOperation()
    let status = core.delete(key, context: context)
    counters.countIssued(.delete, status)
    return status
  }

  @usableFromInline
  func startPendingRMW<K, V, U: FixedSizeUpdate>(key: K, update: U, request: PendingRequest)
  where Layout == FixedSizeRecord<K, V>, U.Value == V {
    startPending(
      kind: .readModifyWrite, key: key, request: request, resume: Self.resumeFixedRMW(update),
      delivery: .queue(completions))
  }

  static func resumeFixedRMW<K, V, U: FixedSizeUpdate>(_ update: U) -> PendingOperation<Layout>.Resume
  where Layout == FixedSizeRecord<K, V>, U.Value == V {
    { core, key, deviceRecord, expectedEntryAddress, context, pending in
      var operation = FixedSizeReadModifyWrite<K, U>(key: key, update: update)
      return core.readModifyWriteAfterRead(
        key, &operation, diskRecord: deviceRecord, expectedEntryAddress: expectedEntryAddress,
        context: context,
        pending: &pending)
    }
  }
}

extension FasterSession {
  @usableFromInline
  func startPendingRead(key: Layout.Key, request: PendingRequest) {
    startPending(kind: .read, key: key, request: request, resume: nil, delivery: .queue(completions))
  }
}
