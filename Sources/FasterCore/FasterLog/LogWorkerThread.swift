#if canImport(Glibc)
  import Glibc
#endif

/// A joinable pthread running one closure: the FasterLog commit worker.
///
/// Thread safety: start from any thread; `join` once, from another thread.
struct LogWorkerThread: @unchecked Sendable {
  // @unchecked Sendable: pthread_t is a plain thread id.
  let handle: pthread_t

  /// Starts a thread running `body`.
  init(_ body: @escaping @Sendable () -> Void) throws(FasterLogError) {
    final class Box {
      let body: @Sendable () -> Void
      init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    let context = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread = pthread_t()
    // Safety: the retained box is released exactly once, by the new thread (or below on failure).
    let status = pthread_create(
      &thread, nil,
      { raw in
        let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
        box.body()
        return nil
      }, context)
    guard status == 0 else {
      Unmanaged<Box>.fromOpaque(context).release()
      throw .invalidConfiguration(
        "could not start the commit thread (pthread_create: \(LogCommitFiles.describe(status))): raise the thread limit (ulimit -u)"
      )
    }
    handle = thread
  }

  /// Waits for the thread to return (detaches it when called on the thread itself).
  func join() {
    if pthread_equal(handle, pthread_self()) != 0 {
      pthread_detach(handle)
      return
    }
    pthread_join(handle, nil)
  }
}
