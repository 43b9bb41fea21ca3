#if canImport(Glibc)
  import Glibc
#endif

/// A pthread running one closure: the one thread starter of the library (device threads,
/// FasterLog's commit worker) and the benchmark (worker threads). Unlike Foundation's
/// `Thread`, a failure to create the thread (thread limits, no address space for a stack
/// under `ulimit -v`) is reported, not a crash or a silent no-op.
///
/// Thread safety: start from any thread; `join` once, from a thread other than the started
/// one (`joinOrDetach` handles that case).
public struct PlatformThread: @unchecked Sendable {
  // @unchecked Sendable: pthread_t is a plain thread id.
  /// The pthread, for `isCurrent` checks and `join`.
  public let handle: pthread_t

  /// Starts a thread running `body`; `detached` threads cannot be joined and free
  /// themselves when `body` returns.
  ///
  /// - Throws: `PlatformError` naming the errno when the thread cannot be created.
  public init(detached: Bool = false, _ body: @escaping @Sendable () -> Void) throws(PlatformError) {
    final class Box {
      let body: @Sendable () -> Void
      init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    let context = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread = pthread_t()
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    if detached { pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED)) }
    // Safety: the retained box is released exactly once, by the new thread (or below on failure).
    let status = pthread_create(
      &thread, &attributes,
      { raw in
        let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
        box.body()
        return nil
      }, context)
    guard status == 0 else {
      Unmanaged<Box>.fromOpaque(context).release()
      throw PlatformError(
        "pthread_create failed [\(ErrorNumber.describe(status))]: raise the process/thread limits "
          + "(ulimit -u, ulimit -v) or use fewer threads",
        errorNumber: status)
    }
    handle = thread
  }

  /// True when called on this thread.
  public var isCurrent: Bool { pthread_equal(handle, pthread_self()) != 0 }

  /// Waits for the thread to return. Called on the thread itself (an owner released from
  /// its own thread), detaches it instead: a thread cannot wait for itself; it exits when
  /// its closure returns.
  public func joinOrDetach() {
    if isCurrent {
      let status = pthread_detach(handle)
      precondition(status == 0, "pthread_detach failed with \(status)")
      return
    }
    let status = pthread_join(handle, nil)
    precondition(status == 0, "pthread_join failed with \(status)")
  }
}
