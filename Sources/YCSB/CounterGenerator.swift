import Synchronization

/// YCSB's counter generator: start, start + 1, start + 2, ... shared by every copy (and thread).
///
/// Thread safety: copies share one atomic counter; `next()` is a single fetch-add.
public struct CounterGenerator: Sendable {
  @usableFromInline let storage: AtomicCounterStorage

  public init(start: UInt64) {
    storage = AtomicCounterStorage(start)
  }

  @inlinable
  public func next() -> UInt64 {
    storage.value.wrappingAdd(1, ordering: .relaxed).oldValue
  }

  /// The last value handed out (start - 1 before the first `next()`, so -1 for start 0).
  public var lastValue: Int64 {
    Int64(bitPattern: storage.value.load(ordering: .relaxed)) - 1
  }
}
