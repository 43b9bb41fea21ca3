import FasterPlatform

#if canImport(Glibc)
  import Glibc
#endif

/// A joinable pthread running one closure: the devices' completion and I/O threads.
///
/// Thread safety: create from any thread; `join` once, from a thread other than the started one.
struct DeviceThread: @unchecked Sendable {
  // @unchecked Sendable: pthread_t is a plain thread id.
  private let thread: PlatformThread
  /// The pthread, for `isCurrent` checks and `join`.
  var handle: pthread_t { thread.handle }

  /// Starts a thread running `body`; a failure to create a thread is an operating error.
  init(_ body: @escaping @Sendable () -> Void) throws(DeviceError) {
    do {
      thread = try PlatformThread(body)
    } catch {
      throw DeviceError(
        .ioError, errorNumber: error.errorNumber,
        message: "starting a device thread: \(error.message); or lower DeviceOptions.ioThreads")
    }
  }

  /// True when called on this thread.
  var isCurrent: Bool { thread.isCurrent }

  /// Waits for the thread to return; called on the thread itself (a device closed from one of its
  /// own completions, e.g. when the last reference is dropped there), detaches it instead, since a
  /// thread cannot wait for itself: it exits when the running closure returns.
  func joinOrDetach() { thread.joinOrDetach() }

  /// Runs `completion(result)` on a new detached thread: for the rare completions that have no device
  /// thread left to run on (I/O submitted after `close()`), since completions never run inline.
  static func completeDetached(_ completion: @escaping IOCompletion, _ result: Result<Int, DeviceError>) {
    do {
      _ = try PlatformThread(detached: true) { completion(result) }
    } catch {
      // No thread could be created at all: running inline is the only way to keep "exactly once".
      completion(result)
    }
  }
}
