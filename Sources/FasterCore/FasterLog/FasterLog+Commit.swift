import CFasterShims
import Dispatch
import FasterPlatform
import FasterStorage

#if canImport(Glibc)
  import Glibc
#endif

/// Committing: making everything enqueued so far durable, then recording it.
///
/// One commit worker thread runs every commit, so concurrent requests coalesce: a request
/// made while a commit runs is served by the next one, which covers the tail as it is
/// when that commit starts. A commit:
/// 1. takes the tail `T` (every entry below was reserved before);
/// 2. shifts the read-only marker to `T`: an epoch later, when every enqueuer that
///    reserved below `T` has written its entry, the hybrid log flushes up to `T`;
/// 3. waits until the device has everything below `T` (`flushedUntil >= T`), then syncs
///    it (`StorageDevice.flush`, fdatasync);
/// 4. writes the commit record (begin, `T`, named iterators' positions) atomically and
///    durably (`LogCommitFiles`);
/// 5. publishes `committedUntil = T`, resumes the waiters it satisfies, and deletes
///    segment files wholly below begin.
///
/// Failures: a failed flush or sync poisons the log (`.device`, for every later enqueue
/// and commit: after a failed fsync the kernel may have dropped the dirty pages, so no
/// later sync can prove them durable). A failed commit-record write fails that commit
/// only (its waiters get `.commitRecord`); the next commit tries again.
extension FasterLog {
  // MARK: Public API

  /// Commits everything enqueued so far. With `wait`, returns once it is durable (or
  /// throws why it cannot be); without, starts the commit and returns at once.
  ///
  /// Thread safety: any thread; blocks the caller when waiting (not on a Swift
  /// concurrency thread: use `commit() async` there).
  public func commit(wait: Bool) throws(FasterLogError) {
    let target = tailAddress.rawValue
    guard wait else {
      try requestCommit()
      return
    }
    try waitForCommit(target: target, requestingCommit: true)
  }

  /// Commits everything enqueued so far and resumes once it is durable.
  ///
  /// Thread safety: any task.
  public func commit() async throws(FasterLogError) {
    let target = tailAddress.rawValue
    let result = await withCheckedContinuation { continuation in
      register(CommitWaiter(target: target, requestsCommit: true) { continuation.resume(returning: $0) })
    }
    try result.get()
  }

  /// Blocks until `address` is committed (without asking for a commit: another thread or
  /// the commit policy must commit).
  public func waitForCommit(until address: Address) throws(FasterLogError) {
    try waitForCommit(target: address.rawValue, requestingCommit: false)
  }

  // MARK: Waiters

  /// Blocks until the committed tail reaches `target`.
  func waitForCommit(target: UInt64, requestingCommit: Bool) throws(FasterLogError) {
    final class Box: @unchecked Sendable {
      // @unchecked Sendable: `result` is written before `done.signal()` and read after `wait()`.
      let done = DispatchSemaphore(value: 0)
      var result: Result<Void, FasterLogError> = .success(())
    }
    let box = Box()
    register(
      CommitWaiter(target: target, requestsCommit: requestingCommit) { result in
        box.result = result
        box.done.signal()
      })
    box.done.wait()
    try box.result.get()
  }

  /// Adds `waiter`, or resumes it at once when its target is already committed, the log
  /// failed or is closing.
  func register(_ waiter: CommitWaiter) {
    let immediate: Result<Void, FasterLogError>? = commitState.withLock { state, waiting in
      if let failure = state.pointee.failure { return .failure(failure) }
      if state.pointee.closing { return .failure(.closed) }
      if committedUntilWord.load(.acquiring) >= waiter.target && !waiter.requestsCommit {
        return .success(())
      }
      var waiter = waiter
      waiter.generation = state.pointee.commitsStarted
      state.pointee.waiters.append(waiter)
      if waiter.requestsCommit {
        state.pointee.commitRequested = true
        waiting.broadcast()
      }
      return nil
    }
    if let immediate { waiter.resume(immediate) }
  }

  /// Asks the worker for a commit, without waiting.
  func requestCommit() throws(FasterLogError) {
    let failure: FasterLogError? = commitState.withLock { state, waiting in
      if let failure = state.pointee.failure { return failure }
      if state.pointee.closing { return .closed }
      state.pointee.commitRequested = true
      waiting.broadcast()
      return nil
    }
    if let failure { throw failure }
  }

  /// Asks for a commit from the enqueue path (policy triggers); errors surface elsewhere.
  func triggerCommit() {
    commitState.withLock { state, waiting in
      state.pointee.commitRequested = true
      waiting.broadcast()
    }
  }

  // MARK: The worker

  /// The commit worker's loop: runs until `close()`.
  func runCommitWorker() {
    var periodNanoseconds: UInt64? = nil
    if case .everyMilliseconds(let milliseconds) = settings.commitPolicy {
      periodNanoseconds = UInt64(milliseconds) * 1_000_000
    }
    while true {
      let generation: UInt64? = commitState.withLock { state, waiting in
        while !state.pointee.closing && !state.pointee.commitRequested {
          waiting.wait(timeoutNanoseconds: periodNanoseconds)
          if periodNanoseconds != nil && state.pointee.failure == nil && hasSomethingToCommit() {
            state.pointee.commitRequested = true
          }
        }
        if state.pointee.closing { return nil }
        state.pointee.commitRequested = false
        state.pointee.commitsStarted += 1
        return state.pointee.commitsStarted
      }
      guard let generation else { break }
      let started = monotonicNanoseconds()
      let outcome = performCommit()
      commitTotals.record(outcome, nanoseconds: monotonicNanoseconds() - started, logger: settings.logger)
      let committed = committedUntilWord.load(.acquiring)
      let ready: [(CommitWaiter, Result<Void, FasterLogError>)] = commitState.withLock { state, _ in
        var ready: [(CommitWaiter, Result<Void, FasterLogError>)] = []
        var failure: FasterLogError? = nil
        if case .failure(let error) = outcome { failure = error }
        let permanent = state.pointee.failure != nil
        state.pointee.waiters.removeAll { waiter in
          let servedByThisCommit = !waiter.requestsCommit || waiter.generation < generation
          if waiter.target <= committed && failure == nil && servedByThisCommit {
            ready.append((waiter, .success(())))
            return true
          }
          if let failure, permanent || (waiter.requestsCommit && servedByThisCommit) {
            ready.append((waiter, .failure(failure)))
            return true
          }
          return false
        }
        return ready
      }
      for (waiter, result) in ready { waiter.resume(result) }
    }
    let remaining: [CommitWaiter] = commitState.withLock { state, _ in
      let waiters = state.pointee.waiters
      state.pointee.waiters = []
      return waiters
    }
    for waiter in remaining { waiter.resume(.failure(.closed)) }
  }

  /// True when the tail, begin or a named iterator moved since the last commit record.
  func hasSomethingToCommit() -> Bool {
    tailAddress.rawValue > committedUntilWord.load(.acquiring)
      || beginWord.load(.acquiring) != lastRecord.begin
      || iteratorPositions.withLock { $0 } != lastRecord.iterators
  }

  /// One commit, steps 1-5 above. Runs on the commit worker only.
  func performCommit() -> Result<Void, FasterLogError> {
    if flagsWord.load(.acquiring) & 2 != 0,
      let failure = commitState.withLock({ state, _ in state.pointee.failure })
    {
      return .failure(failure)
    }
    let target = tailAddress.rawValue
    let begin = beginWord.load(.acquiring)
    let iterators = iteratorPositions.withLock { $0 }
    let committed = committedUntilWord.load(.acquiring)
    guard target > committed || begin != lastRecord.begin || iterators != lastRecord.iterators else {
      return .success(())
    }
    if target > committed {
      do { try flushAndSync(until: target) } catch {
        // Recorded before the flag is raised, so an enqueue that sees the flag finds it.
        commitState.withLock { state, _ in state.pointee.failure = error }
        _ = flagsWord.fetchOr(2, .sequentiallyConsistent)
        return .failure(error)
      }
    }
    let record = LogCommitRecord(
      sequence: lastRecord.sequence + 1, begin: begin, committedUntil: Swift.max(target, committed),
      pageSizeBytes: UInt64(settings.log.pageSizeBytes), iterators: iterators)
    do {
      try files.write(record.encoded(), sequence: record.sequence, retained: settings.retainedCommitRecords)
    } catch {
      return .failure(error)
    }
    let previousBegin = lastRecord.begin
    lastRecord = record
    committedUntilWord.raise(to: record.committedUntil)
    if begin / device.segmentSizeBytes > previousBegin / device.segmentSizeBytes {
      // The new begin is durable: the segment files wholly below it may go.
      do { try device.truncate(before: begin & ~(device.segmentSizeBytes - 1)) } catch {
        settings.logger.warning(
          "FasterLog: deleting segment files below log address \(begin) failed: \(error.message)")
      }
    }
    return .success(())
  }

  /// Steps 2 and 3: everything below `target` flushed and synced.
  func flushAndSync(until target: UInt64) throws(FasterLogError) {
    if hybridLog.flushedUntilAddress.rawValue < target {
      hybridLog.shiftReadOnly(to: Address(target))
      var rounds = 0
      while hybridLog.flushedUntilAddress.rawValue < target {
        if let error = hybridLog.deviceError { throw .device(error) }
        epoch.drainIfPending()
        rounds += 1
        if rounds < 100 { cfaster_spin_pause() } else { usleep(rounds < 2_000 ? 20 : 200) }
      }
    }
    if let error = hybridLog.deviceError { throw .device(error) }
    do { try device.flush() } catch { throw .device(error) }
  }
}
