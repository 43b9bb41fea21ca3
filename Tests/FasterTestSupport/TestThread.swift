import FasterPlatform

/// A joinable thread (Foundation's `Thread` cannot be joined): the library's
/// `PlatformThread`, started on `start()`. The thread sanitizer understands pthreads:
/// everything the body did happens before `join()` returns.
///
/// Thread safety: `start()` and `join()` once each, from the creating thread.
public final class TestThread: @unchecked Sendable {
  // @unchecked Sendable: `thread` is written by `start()` and read by `join()`, both on the
  // creating thread.
  private let body: @Sendable () -> Void
  private var thread: PlatformThread?

  public init(_ body: @escaping @Sendable () -> Void) { self.body = body }

  public func start() {
    do {
      thread = try PlatformThread(body)
    } catch {
      preconditionFailure("a test thread could not start: \(error.message)")
    }
  }

  public func join() { thread?.joinOrDetach() }
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
