/// Which device implementation the `faster.device` knob selects (`null | file | uring`).
///
/// Thread safety: a value type, safe to share and send between threads.
public enum DeviceKind: String, Sendable, CaseIterable {
  /// `NullDevice`: writes are dropped, reads fail; for in-memory runs.
  case null
  /// `FileDevice`: `pread`/`pwrite` on a small thread pool.
  case file
  /// `IoUringDevice`, falling back to `FileDevice` where io_uring is unavailable.
  case uring
}
