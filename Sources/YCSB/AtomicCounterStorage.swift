import Synchronization

/// A heap-allocated atomic counter that copies of a generator share.
/// Sendable: its only state is an `Atomic`.
@usableFromInline
final class AtomicCounterStorage: Sendable {
  @usableFromInline let value: Atomic<UInt64>

  init(_ initial: UInt64) {
    value = Atomic(initial)
  }
}
