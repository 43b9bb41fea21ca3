/// A zero-filled, aligned block of memory handed out by ``PageAllocator``.
///
/// The region does not own its memory: release it exactly once with
/// ``PageAllocator/deallocate(_:)``. It is a plain struct (not `~Copyable`) so that stores can keep
/// it in arrays and pass it around; the owner (for example the hybrid log's page frames) is
/// responsible for the single deallocation.
///
/// Thread safety: `@unchecked Sendable` because it only carries a pointer and sizes; the bytes
/// behind `base` are shared memory, and whoever reads and writes them from several threads must
/// synchronise those accesses.
public struct AlignedRegion: @unchecked Sendable {
  /// The first byte; a multiple of `alignment`.
  public let base: UnsafeMutableRawPointer
  /// The usable size in bytes, as requested.
  public let byteCount: Int
  /// The alignment in bytes (a power of two) that `base` satisfies.
  public let alignment: Int
  /// True when `madvise(MADV_HUGEPAGE)` was applied to some part of the region.
  public let hugePagesRequested: Bool
  /// Why huge pages were or were not requested, for reports (for example
  /// `"madvise(MADV_HUGEPAGE) on 4194304 bytes"` or `"region smaller than 2 MiB"`).
  public let hugePageStatus: String

  /// The bytes of the region as a buffer.
  public var bytes: UnsafeMutableRawBufferPointer {
    UnsafeMutableRawBufferPointer(start: base, count: byteCount)
  }

  /// Creates a region description; used by ``PageAllocator`` and by tests.
  public init(
    base: UnsafeMutableRawPointer, byteCount: Int, alignment: Int, hugePagesRequested: Bool,
    hugePageStatus: String
  ) {
    self.base = base
    self.byteCount = byteCount
    self.alignment = alignment
    self.hugePagesRequested = hugePagesRequested
    self.hugePageStatus = hugePageStatus
  }
}
