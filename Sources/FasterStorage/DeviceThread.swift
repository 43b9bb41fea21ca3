#if canImport(Glibc)
  import Glibc
#endif

/// A joinable pthread running one closure: the devices' completion and I/O threads.
///
/// Thread safety: create from any thread; `join` once, from a thread other than the started one.
struct DeviceThread: @unchecked Sendable {
  // @unchecked Sendable: pthread_t is a plain thread id.
  /// The pthread, for `isCurrent` checks and `join`.
  let handle: pthread_t

  /// Starts a thread running `body`; a failure to create a thread is an operating error.
  init(_ body: @escaping @Sendable () -> Void) throws(DeviceError) {
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
      throw DeviceError(
        .ioError, errorNumber: status,
        message: "pthread_create for a device thread failed [\(DeviceError.describe(errorNumber: status))]: "
          + "raise the process/thread limits (ulimit -u) or lower ioThreads")
    }
    handle = thread
  }

  /// True when called on this thread.
  var isCurrent: Bool { pthread_equal(handle, pthread_self()) != 0 }

  /// Waits for the thread to return; called on the thread itself (a device closed from one of its
  /// own completions, e.g. when the last reference is dropped there), detaches it instead, since a
  /// thread cannot wait for itself: it exits when the running closure returns.
  func joinOrDetach() {
    if isCurrent {
      let status = pthread_detach(handle)
      precondition(status == 0, "pthread_detach failed with \(status)")
      return
    }
    let status = pthread_join(handle, nil)
    precondition(status == 0, "pthread_join failed with \(status)")
  }

  /// Runs `completion(result)` on a new detached thread: for the rare completions that have no device
  /// thread left to run on (I/O submitted after `close()`), since completions never run inline.
  static func completeDetached(_ completion: @escaping IOCompletion, _ result: Result<Int, DeviceError>) {
    do {
      let thread = try DeviceThread { completion(result) }
      pthread_detach(thread.handle)
    } catch {
      // No thread could be created at all: running inline is the only way to keep "exactly once".
      completion(result)
    }
  }
}
