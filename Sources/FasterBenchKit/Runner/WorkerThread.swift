import FasterPlatform
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Starts a detached POSIX thread and reports failure instead of crashing: Foundation's
/// `Thread.start()` gives no way to learn that `pthread_create` failed (e.g. no address space
/// left for a stack under `ulimit -v`).
enum WorkerThread {
  /// Why a thread did not start, as a person can act on it.
  struct StartFailure: Error, CustomStringConvertible {
    let description: String
  }

  /// Runs `body` on a new detached thread.
  ///
  /// - Throws: ``StartFailure`` naming the errno when the thread cannot be created.
  static func start(_ body: @escaping @Sendable () -> Void) throws(StartFailure) {
    do {
      _ = try PlatformThread(detached: true, body)
    } catch {
      throw StartFailure(description: error.message)
    }
  }
}
