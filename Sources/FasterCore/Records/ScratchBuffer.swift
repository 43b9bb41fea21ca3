/// A session's private, growable byte buffer for in-place updates of variable-length
/// values. It grows (allocates) only when a larger value than ever before is updated,
/// so the steady-state hot path allocates nothing.
///
/// Thread safety: owned by one session; not shared.
@usableFromInline
final class ScratchBuffer {
  @usableFromInline var pointer: UnsafeMutableRawPointer
  @usableFromInline var capacity: Int

  init(capacity: Int = 4096) {
    self.capacity = capacity
    pointer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
  }

  deinit { pointer.deallocate() }

  /// At least `byteCount` bytes of private memory; valid until the next call.
  @inlinable
  func buffer(atLeast byteCount: Int) -> UnsafeMutableRawPointer {
    if byteCount > capacity { grow(to: byteCount) }
    return pointer
  }

  @usableFromInline
  func grow(to byteCount: Int) {
    pointer.deallocate()
    capacity = Swift.max(byteCount, capacity * 2)
    pointer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
  }
}
