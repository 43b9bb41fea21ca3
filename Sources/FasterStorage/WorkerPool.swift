import FasterPlatform

#if canImport(Glibc)
  import Glibc
#endif

/// A fixed set of device threads running jobs from one bounded FIFO queue.
///
/// Invariants: at most `capacity` jobs wait in the queue, except jobs submitted by the pool's own
/// threads (from a completion), which are never blocked (blocking them could deadlock the pool, since
/// only they drain it) and may exceed the bound by at most one job per running job.
/// After `close()` returns every accepted job has run and every thread has exited.
///
/// Thread safety: `submit` and `close` may be called from any thread, including a pool thread (then
/// `close` waits for the other threads and the calling one exits when its job returns).
final class WorkerPool: @unchecked Sendable {
  // @unchecked Sendable: every mutable field is guarded by `lock`.
  typealias Job = @Sendable () -> Void

  private let lock = PThreadLock()
  private let capacity: Int
  /// Guarded by `lock`: the queue is `jobs[head...]`.
  private var jobs: [Job?] = []
  private var head = 0
  private var closing = false
  private var threadHandles: [pthread_t] = []
  private var threads: [DeviceThread] = []

  /// Starts `threadCount` threads sharing a queue of at most `capacity` waiting jobs.
  init(threadCount: Int, capacity: Int) throws(DeviceError) {
    precondition(threadCount >= 1 && capacity >= 1)
    self.capacity = capacity
    lock.lock()
    defer { lock.unlock() }
    for _ in 0..<threadCount {
      let thread = try DeviceThread { [self] in run() }
      threadHandles.append(thread.handle)
      threads.append(thread)
    }
  }

  private var queuedCount: Int { jobs.count - head }

  /// Queues `job`; waits while the queue is full (unless called on a pool thread).
  /// Returns false, without queueing, when the pool is closed.
  @discardableResult
  func submit(_ job: @escaping Job) -> Bool {
    lock.lock()
    defer { lock.unlock() }
    let onPoolThread = threadHandles.contains { pthread_equal($0, pthread_self()) != 0 }
    while !closing && !onPoolThread && queuedCount >= capacity {
      lock.wait()
    }
    guard !closing else { return false }
    jobs.append(job)
    lock.broadcast()
    return true
  }

  private func run() {
    while true {
      lock.lock()
      while queuedCount == 0 && !closing {
        lock.wait()
      }
      if queuedCount == 0 {
        // Closing and drained.
        lock.unlock()
        return
      }
      let job = jobs[head]!
      jobs[head] = nil
      head += 1
      if head > 64 && head * 2 > jobs.count {
        jobs.removeFirst(head)
        head = 0
      }
      lock.broadcast()
      lock.unlock()
      job()
    }
  }

  /// Runs every queued job, then stops and joins the threads. Idempotent.
  func close() {
    let toJoin: [DeviceThread] = lock.withLock {
      closing = true
      lock.broadcast()
      let taken = threads
      threads = []
      return taken
    }
    for thread in toJoin {
      thread.joinOrDetach()
    }
  }
}
