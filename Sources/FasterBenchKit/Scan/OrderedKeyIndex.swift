#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The ordered index kept beside a hash store so that YCSB scans can run, as YCSB's Redis binding
/// keeps a sorted set: the key numbers of every inserted record, in key-name order
/// (``KeyOrder``).
///
/// A sorted list of chunks (each at most `chunkCapacity` entries, split in halves when full) under
/// one reader-writer lock: scans share the lock, inserts take it exclusively. Inserting moves at
/// most one chunk's entries; finding a position is two binary searches.
///
/// Invariants (checked by `checkInvariants()` in tests): every chunk is non-empty (unless the index
/// is empty, when there is one empty chunk) and sorted; `firstKeys[i] == chunks[i][0].sortKey`;
/// chunks are in order (last of chunk i < first of chunk i+1); sort keys are unique.
///
/// Thread safety: all methods may be called from any thread.
public final class OrderedKeyIndex: @unchecked Sendable {
  // @unchecked Sendable: `chunks` and `firstKeys` are read under the read lock and written under
  // the write lock only.
  struct Entry {
    var sortKey: UInt128
    var keyNumber: UInt64
  }

  public let order: KeyOrder
  let chunkCapacity: Int
  private var chunks: [[Entry]] = [[]]
  private var firstKeys: [UInt128] = [0]
  private let lock: UnsafeMutablePointer<pthread_rwlock_t>

  public init(order: KeyOrder, chunkCapacity: Int = 512) {
    precondition(chunkCapacity >= 4, "OrderedKeyIndex: chunkCapacity must be at least 4")
    self.order = order
    self.chunkCapacity = chunkCapacity
    lock = .allocate(capacity: 1)
    lock.initialize(to: pthread_rwlock_t())
    let result = pthread_rwlock_init(lock, nil)
    precondition(result == 0, "pthread_rwlock_init failed: \(result)")
  }

  deinit {
    pthread_rwlock_destroy(lock)
    lock.deinitialize(count: 1)
    lock.deallocate()
  }

  /// The number of keys in the index.
  public var count: Int {
    pthread_rwlock_rdlock(lock)
    defer { pthread_rwlock_unlock(lock) }
    return chunks.reduce(0) { $0 + $1.count }
  }

  /// Adds `keyNumber`; a key already present is left as it is.
  public func insert(_ keyNumber: UInt64) {
    let entry = Entry(sortKey: order.sortKey(of: keyNumber), keyNumber: keyNumber)
    pthread_rwlock_wrlock(lock)
    defer { pthread_rwlock_unlock(lock) }
    let chunkIndex = chunkIndex(for: entry.sortKey)
    let position = Self.lowerBound(entry.sortKey, in: chunks[chunkIndex])
    if position < chunks[chunkIndex].count && chunks[chunkIndex][position].sortKey == entry.sortKey { return }
    chunks[chunkIndex].insert(entry, at: position)
    if position == 0 { firstKeys[chunkIndex] = entry.sortKey }
    if chunks[chunkIndex].count > chunkCapacity {
      let upperHalf = Array(chunks[chunkIndex][(chunkCapacity / 2)...])
      chunks[chunkIndex].removeSubrange((chunkCapacity / 2)...)
      chunks.insert(upperHalf, at: chunkIndex + 1)
      firstKeys.insert(upperHalf[0].sortKey, at: chunkIndex + 1)
    }
  }

  /// Copies into `destination` the key numbers of the first `destination.count` keys whose names
  /// sort at or after `startKeyNumber`'s name, in key order; returns how many it copied (fewer at
  /// the end of the index).
  public func collect(from startKeyNumber: UInt64, into destination: UnsafeMutableBufferPointer<UInt64>)
    -> Int
  {
    let startKey = order.sortKey(of: startKeyNumber)
    pthread_rwlock_rdlock(lock)
    defer { pthread_rwlock_unlock(lock) }
    var chunkIndex = chunkIndex(for: startKey)
    var position = Self.lowerBound(startKey, in: chunks[chunkIndex])
    var copied = 0
    while copied < destination.count && chunkIndex < chunks.count {
      let chunk = chunks[chunkIndex]
      while copied < destination.count && position < chunk.count {
        destination[copied] = chunk[position].keyNumber
        copied &+= 1
        position &+= 1
      }
      chunkIndex &+= 1
      position = 0
    }
    return copied
  }

  /// The chunk that holds (or would hold) `sortKey`: the last whose first key is <= it, or 0.
  private func chunkIndex(for sortKey: UInt128) -> Int {
    var low = 0
    var high = firstKeys.count
    while low < high {
      let middle = (low &+ high) >> 1
      if firstKeys[middle] <= sortKey { low = middle &+ 1 } else { high = middle }
    }
    return max(0, low - 1)
  }

  private static func lowerBound(_ sortKey: UInt128, in chunk: [Entry]) -> Int {
    var low = 0
    var high = chunk.count
    while low < high {
      let middle = (low &+ high) >> 1
      if chunk[middle].sortKey < sortKey { low = middle &+ 1 } else { high = middle }
    }
    return low
  }

  /// Checks every invariant in the type's header; for tests (it takes the read lock and walks all).
  func checkInvariants() {
    pthread_rwlock_rdlock(lock)
    defer { pthread_rwlock_unlock(lock) }
    precondition(chunks.count == firstKeys.count)
    var previous: UInt128? = nil
    for (index, chunk) in chunks.enumerated() {
      precondition(!chunk.isEmpty || chunks.count == 1, "empty chunk \(index)")
      if let first = chunk.first {
        precondition(firstKeys[index] == first.sortKey, "stale first key \(index)")
      }
      for entry in chunk {
        if let previous { precondition(previous < entry.sortKey, "out of order in chunk \(index)") }
        previous = entry.sortKey
      }
    }
  }
}
