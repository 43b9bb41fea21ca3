import Synchronization

/// YCSB's acknowledged counter (`AcknowledgedCounterGenerator`): hands out insert key numbers like
/// `CounterGenerator`, and keeps a *limit*, the largest value such that it and every value before
/// it have been acknowledged (their inserts completed). Readers never ask for a key past the limit,
/// so they never miss a key whose insert is still in flight.
///
/// Invariants:
/// - limit only grows, and only over a contiguous run of acknowledged values;
/// - window slot (v mod 2^20) is set from `acknowledge(v)` until the limit passes v;
/// - at most 2^20 values may be handed out and not yet passed by the limit (YCSB's bound:
///   "Too many unacknowledged insertion keys" is a precondition failure here).
///
/// Thread safety: `next()` and `lastValue` are lock-free; `acknowledge` sets its slot and then
/// advances the limit under a try-lock that nobody waits for. Copies share state.
public struct AcknowledgedCounterGenerator: Sendable {
  /// Slots in the acknowledgement window: 2^20, as in YCSB.
  public static let windowSize = 1 << 20

  @usableFromInline let storage: AcknowledgedCounterStorage

  /// The first value handed out is `start`; the limit starts at start - 1.
  public init(start: UInt64) {
    storage = AcknowledgedCounterStorage(start: start)
  }

  /// The next value to insert.
  @inlinable
  public func next() -> UInt64 {
    storage.counter.wrappingAdd(1, ordering: .relaxed).oldValue
  }

  /// The acknowledged limit (YCSB's `lastValue()`); -1 when start is 0 and nothing is acknowledged.
  @inlinable
  public var lastValue: Int64 {
    storage.limit.load(ordering: .acquiring)
  }

  /// Marks `value` (from `next()`) as inserted. Each value must be acknowledged exactly once.
  public func acknowledge(_ value: UInt64) {
    storage.acknowledge(value)
  }
}
