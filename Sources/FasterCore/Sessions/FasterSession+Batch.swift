/// Batched operations: the same operations as one by one, in order, with the memory of
/// later keys loaded while earlier ones run (a software pipeline: the bucket of key
/// `i + 2d` and the record of key `i + d` are prefetched while key `i` runs, with
/// `d = batchPrefetchDistance`).
///
/// Semantics: exactly those of calling the single operation for each key in batch order,
/// each with its own serial number (so a key that appears twice sees its own earlier
/// update). Pending keys (records on the device) return `.pending` in their status slot
/// and complete through `completePending` as single operations do. No allocation.
extension FasterSession {
  /// How many keys ahead the record is prefetched; buckets are prefetched twice as far.
  @inlinable public static var batchPrefetchDistance: Int { 4 }

  /// Prefetch hints for a caller that pipelines its own mix of operations: start loading
  /// the hash bucket of `key` (a few operations before its record hint) …
  @inlinable
  public func prefetchBucket(for key: Layout.Key) {
    guard state.pointee.isProtected else { return }
    core.prefetchBucket(Layout.hash(key))
  }

  /// … then the newest record of `key`, if it is in memory (a few operations before the
  /// operation on `key` runs).
  @inlinable
  public func prefetchRecord(for key: Layout.Key) {
    guard state.pointee.isProtected else { return }
    core.prefetchRecord(Layout.hash(key))
  }

  /// Runs `operation(i)` for `i` in `0..<count`, in order, prefetching the keys ahead.
  @inlinable
  func pipelined(count: Int, key: (Int) -> Layout.Key, _ operation: (Int) -> Void) {
    let distance = Self.batchPrefetchDistance
    if !state.pointee.isProtected { refresh() }
    var ahead = 0
    while ahead < Swift.min(2 &* distance, count) {
      prefetchBucket(for: key(ahead))
      if ahead < distance { prefetchRecord(for: key(ahead)) }
      ahead &+= 1
    }
    var index = 0
    while index < count {
      if index &+ 2 &* distance < count { prefetchBucket(for: key(index &+ 2 &* distance)) }
      if index &+ distance < count { prefetchRecord(for: key(index &+ distance)) }
      operation(index)
      index &+= 1
    }
  }

  /// Reads every key of `keys` into the same position of `values`, with its status in
  /// `statuses` (`.ok`, `.notFound`, `.pending`, or an error; `values[i]` is written only
  /// for `.ok`). The buffers must be at least as long as `keys`.
  @inlinable
  public func read<K, V>(
    batch keys: UnsafeBufferPointer<K>, into values: UnsafeMutableBufferPointer<V>,
    statuses: UnsafeMutableBufferPointer<OperationStatus>
  ) where Layout == FixedSizeRecord<K, V> {
    precondition(values.count >= keys.count && statuses.count >= keys.count, "result buffers too short")
    pipelined(count: keys.count, key: { keys[$0] }) { index in
      statuses[index] = read(keys[index], into: &values[index])
    }
  }

  /// Upserts `values[i]` for `keys[i]`, in order; statuses as `upsert`.
  @inlinable
  public func upsert<K, V>(
    batch keys: UnsafeBufferPointer<K>, values: UnsafeBufferPointer<V>,
    statuses: UnsafeMutableBufferPointer<OperationStatus>
  ) where Layout == FixedSizeRecord<K, V> {
    precondition(values.count >= keys.count && statuses.count >= keys.count, "buffers too short")
    pipelined(count: keys.count, key: { keys[$0] }) { index in
      statuses[index] = upsert(keys[index], values[index])
    }
  }

  /// Applies `update` to every key, in order; statuses as `rmw`.
  @inlinable
  public func rmw<K, V, U: FixedSizeUpdate>(
    batch keys: UnsafeBufferPointer<K>, _ update: U, statuses: UnsafeMutableBufferPointer<OperationStatus>
  ) where Layout == FixedSizeRecord<K, V>, U.Value == V {
    precondition(statuses.count >= keys.count, "status buffer too short")
    pipelined(count: keys.count, key: { keys[$0] }) { index in
      statuses[index] = rmw(keys[index], update)
    }
  }

  /// Deletes every key, in order; statuses as `delete`.
  @inlinable
  public func delete<K, V>(
    batch keys: UnsafeBufferPointer<K>, statuses: UnsafeMutableBufferPointer<OperationStatus>
  )
  where Layout == FixedSizeRecord<K, V> {
    precondition(statuses.count >= keys.count, "status buffer too short")
    pipelined(count: keys.count, key: { keys[$0] }) { index in
      statuses[index] = delete(keys[index])
    }
  }
}
