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

  private final class Body {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
  }

  /// Runs `body` on a new detached thread.
  ///
  /// - Throws: ``StartFailure`` naming the errno when the thread cannot be created.
  static func start(_ body: @escaping @Sendable () -> Void) throws(StartFailure) {
    let box = Unmanaged.passRetained(Body(body)).toOpaque()
    var thread = pthread_t()
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
    let result = pthread_create(
      &thread, &attributes,
      { argument in
        let body = Unmanaged<Body>.fromOpaque(argument!).takeRetainedValue()
        body.run()
        return nil
      }, box)
    guard result == 0 else {
      Unmanaged<Body>.fromOpaque(box).release()
      let reason = String(cString: strerror(result))
      throw StartFailure(description: "pthread_create failed: \(reason) (errno \(result))")
    }
  }
}
