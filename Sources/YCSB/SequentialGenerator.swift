import Synchronization

/// YCSB's sequential generator: start, start + 1, ..., end, start, ... shared by every copy
/// (CoreWorkload shares one among all threads, so together they walk the key space once).
///
/// Thread safety: copies share one atomic counter; `next()` is a single fetch-add.
public struct SequentialGenerator: Sendable {
  public let start: UInt64
  public let end: UInt64
  @usableFromInline let intervalCount: UInt64
  @usableFromInline let storage: AtomicCounterStorage

  /// Precondition: start <= end and the range is not all of UInt64.
  public init(start: UInt64, end: UInt64) {
    precondition(start <= end && end - start < UInt64.max, "sequential range [\(start), \(end)] invalid")
    self.start = start
    self.end = end
    self.intervalCount = end - start + 1
    self.storage = AtomicCounterStorage(0)
  }

  @inlinable
  public func next() -> UInt64 {
    start + storage.value.wrappingAdd(1, ordering: .relaxed).oldValue % intervalCount
  }
}
