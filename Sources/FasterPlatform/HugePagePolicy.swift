/// Whether page allocations ask the kernel for transparent huge pages.
///
/// Thread safety: a value type, safe to share and send between threads.
public enum HugePagePolicy: String, Sendable, CaseIterable, Codable {
  /// Plain pages; no `madvise` call.
  case off
  /// `madvise(MADV_HUGEPAGE)` on the 2 MiB-aligned part of regions of at least 2 MiB. The kernel
  /// honours it when `/sys/kernel/mm/transparent_hugepage/enabled` is `always` or `madvise`.
  case madvise
}
