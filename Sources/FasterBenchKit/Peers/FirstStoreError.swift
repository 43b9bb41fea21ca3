import FasterPlatform

/// The first error message a peer store (rocksdb, lmdb) returned in a run, for the run's error
/// summary (`Return=ERROR` lumps every failure together; this names the cause).
///
/// Thread safety: a lock, taken only when an operation fails.
final class FirstStoreError: Sendable {
  private let message = ControlLock<String?>(nil)

  /// Keeps `text` if no error was noted before.
  @inline(never)
  func note(_ text: String) {
    message.withLock { if $0 == nil { $0 = text } }
  }

  var description: String? { message.withLock { $0 } }
}
