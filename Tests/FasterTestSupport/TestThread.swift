#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A joinable thread (Foundation's `Thread` cannot be joined), on pthreads, which the thread
/// sanitizer understands: everything the body did happens before `join()` returns.
///
/// Thread safety: `start()` and `join()` once each, from the creating thread.
public final class TestThread: @unchecked Sendable {
  // @unchecked Sendable: `handle` is written by `start()` and read by `join()`, both on the
  // creating thread.
  private let body: @Sendable () -> Void
  private var handle = pthread_t()
  private let stackSize: Int

  public init(stackSize: Int = 1 << 20, _ body: @escaping @Sendable () -> Void) {
    self.body = body
    self.stackSize = stackSize
  }

  public func start() {
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setstacksize(&attributes, stackSize)
    let context = Unmanaged.passRetained(self).toOpaque()
    let status = pthread_create(
      &handle, &attributes,
      { raw in
        let thread = Unmanaged<TestThread>.fromOpaque(raw!).takeRetainedValue()
        thread.body()
        return nil
      }, context)
    precondition(status == 0, "pthread_create failed: \(status)")
  }

  public func join() { pthread_join(handle, nil) }
}

/// Runs `body(threadIndex)` on `count` real threads (not the cooperative pool, which has only
/// as many threads as cores), released together by a barrier so they overlap, and joins them.
public func runThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
  let barrier = ThreadBarrier(count)
  let threads = (0..<count).map { index in
    TestThread {
      barrier.arriveAndWait()
      body(index)
    }
  }
  threads.forEach { $0.start() }
  threads.forEach { $0.join() }
}
