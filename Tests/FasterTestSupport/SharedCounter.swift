import Synchronization

/// A shared atomic counter that escaping closures can capture (`Atomic` is noncopyable);
/// sequentially consistent, so its values order events as real time does (the tickets of
/// `LinearizabilityChecker`).
///
/// Thread safety: that is its purpose.
public final class SharedCounter: Sendable {
  private let value: Atomic<UInt64>

  public init(_ initial: UInt64 = 0) { value = Atomic(initial) }

  /// Adds `delta` and returns the value before.
  @discardableResult
  public func add(_ delta: UInt64 = 1) -> UInt64 {
    value.add(delta, ordering: .sequentiallyConsistent).oldValue
  }

  public var current: UInt64 { value.load(ordering: .sequentiallyConsistent) }
}
