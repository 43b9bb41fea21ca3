import CLiburing
import FasterPlatform
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// The io_uring ring of an `IoUringDevice`, its table of in-flight requests, and its completion thread.
///
/// Submission: any thread, under `lock`: take a free slot (waiting while all `depth` slots are in
/// flight, so the completion queue, twice the submission queue, can never overflow), prepare an SQE
/// whose user data is the slot index, and `io_uring_submit` -- unless another submitter is already
/// waiting for the lock, in which case the SQE rides along with that submitter's call (batching
/// under contention; the last submitter in a chain always submits).
///
/// Completion: one thread waits in `io_uring_wait_cqe`, drains every ready CQE with
/// `io_uring_peek_cqe`, then under `lock` resolves slots: `res < 0` is an error from `-res`
/// (EINTR/EAGAIN resubmitted), a short `res` is resubmitted for the remainder, 0 is end of file.
/// Completion closures run after the lock is released, on this thread.
///
/// Invariants (guarded by `lock`):
/// - `inFlightCount == depth - freeSlots.count`, and `slots[i] != nil` exactly for in-flight slots;
/// - `backlog` is non-empty only while no slot is free (it holds I/O submitted from a completion);
/// - after `closing` is set no request is accepted; the stop NOP is submitted only when
///   `inFlightCount == 0 && backlog.isEmpty`.
///
/// Thread safety: `submit` and `close` from any thread, including a completion (then `close` returns
/// at once and the completion thread finishes the in-flight I/O and tears the ring down itself).
final class IoUringEngine: @unchecked Sendable {
  // @unchecked Sendable: the ring and the slot table are guarded by `lock`, except the completion
  // queue, which only the completion thread reads (liburing supports one submitter and one reaper).
  private static let stopTag = UInt64.max

  let depth: Int
  private let ring: UnsafeMutablePointer<io_uring>
  private let counters: DeviceCounters
  private let lock = PThreadLock()
  private let waitingSubmitters = Atomic<Int>(0)

  private var slots: [IORequest?]
  private var freeSlots: [Int]
  private var backlog: [IORequest] = []
  private var unsubmittedCount = 0
  private var closing = false
  private var ringOpen = true
  private var stopSubmitted = false
  /// Set when `close()` ran on the completion thread: that thread then tears the ring down itself.
  private var tearDownOnStop = false
  private var completionThread: DeviceThread?

  /// Sets up a ring of `depth` entries; throws the errno of `io_uring_queue_init` (EPERM in
  /// containers that forbid io_uring, ENOSYS on old kernels, ENOMEM under a low RLIMIT_MEMLOCK).
  init(depth: Int, counters: DeviceCounters) throws(DeviceError) {
    self.depth = depth
    self.counters = counters
    slots = Array(repeating: nil, count: depth)
    freeSlots = Array((0..<depth).reversed())
    ring = .allocate(capacity: 1)
    // Safety: `ring` is fresh storage that io_uring_queue_init fills (zeroed first, as liburing expects).
    ring.initialize(to: io_uring())
    let status = io_uring_queue_init(UInt32(depth), ring, 0)
    guard status == 0 else {
      ring.deallocate()
      throw Self.setupError(errorNumber: -status, depth: depth)
    }
    do {
      let thread = try DeviceThread { [self] in runCompletions() }
      lock.withLock { completionThread = thread }
    } catch {
      io_uring_queue_exit(ring)
      ring.deallocate()
      throw error
    }
  }

  static func setupError(errorNumber: Int32, depth: Int) -> DeviceError {
    let cause = DeviceError.describe(errorNumber: errorNumber)
    let advice: String
    switch errorNumber {
    case EPERM, EACCES:
      advice = "io_uring is disabled here (sysctl kernel.io_uring_disabled, or a container seccomp profile)"
    case ENOSYS:
      advice = "this kernel has no io_uring (needs Linux 5.1 or later)"
    case ENOMEM:
      advice = "raise RLIMIT_MEMLOCK (ulimit -l) or lower DeviceOptions.queueDepth"
    default:
      advice = "check the kernel log"
    }
    return DeviceError(
      errorNumber == EPERM || errorNumber == EACCES ? .permissionDenied : .ioError, errorNumber: errorNumber,
      message:
        "io_uring_queue_init(\(depth)) failed [\(cause)]: \(advice); use the file device (DeviceKind.file)")
  }

  // MARK: Submission

  /// Starts `request`; its completion runs later on the completion thread (or a detached thread if
  /// the engine is closed).
  func submit(_ request: IORequest) {
    waitingSubmitters.add(1, ordering: .relaxed)
    lock.lock()
    waitingSubmitters.subtract(1, ordering: .relaxed)
    let onCompletionThread = completionThread?.isCurrent ?? false
    if freeSlots.isEmpty && onCompletionThread && !closing {
      // The completion thread must never block on a slot: it is the one that frees them.
      backlog.append(request)
      lock.unlock()
      return
    }
    while freeSlots.isEmpty && !closing {
      lock.wait()
    }
    if closing {
      lock.unlock()
      DeviceThread.completeDetached(
        request.completion,
        .failure(
          DeviceError(
            .closed,
            message: "\(request.kind.verb) at device offset \(request.deviceOffset): the device is closed")))
      return
    }
    start(request)
    submitPrepared(force: false)
    lock.unlock()
  }

  /// Puts `request` in a free slot and prepares its SQE. Requires `lock` and a free slot.
  private func start(_ request: IORequest) {
    let slot = freeSlots.removeLast()
    assert(slots[slot] == nil)
    slots[slot] = request
    prepare(slot: slot)
  }

  /// Prepares the SQE for the remainder of the request in `slot`. Requires `lock`.
  private func prepare(slot: Int) {
    let request = slots[slot]!
    let sqe = nextSubmissionEntry()
    if request.presetError != nil {
      io_uring_prep_nop(sqe)
    } else {
      // Safety: the request's buffer holds `length` bytes and its owner keeps it alive until the
      // completion runs; `file` keeps the descriptor open; bytesDone < length.
      assert(request.bytesDone < request.length)
      let remaining = UInt32(request.length - request.bytesDone)
      let pointer = request.buffer! + request.bytesDone
      let position = request.fileOffset + UInt64(request.bytesDone)
      switch request.kind {
      case .read: io_uring_prep_read(sqe, request.file!.descriptor, pointer, remaining, position)
      case .write: io_uring_prep_write(sqe, request.file!.descriptor, pointer, remaining, position)
      }
    }
    io_uring_sqe_set_data64(sqe, UInt64(slot))
    unsubmittedCount += 1
  }

  /// A free SQE; submits what is prepared when the queue is full. Requires `lock`.
  private func nextSubmissionEntry() -> UnsafeMutablePointer<io_uring_sqe> {
    while true {
      if let sqe = io_uring_get_sqe(ring) { return sqe }
      submitPrepared(force: true)
    }
  }

  /// Hands prepared SQEs to the kernel, unless another submitter waits for the lock and will do it
  /// (the batch is capped at half the queue). Requires `lock`.
  private func submitPrepared(force: Bool) {
    guard unsubmittedCount > 0 else { return }
    if !force && waitingSubmitters.load(ordering: .relaxed) > 0 && unsubmittedCount < max(1, depth / 2) {
      return
    }
    var attempts = 0
    while true {
      let status = io_uring_submit(ring)
      if status >= 0 {
        unsubmittedCount = Int(io_uring_sq_ready(ring))
        if unsubmittedCount == 0 { return }
      } else {
        let error = -status
        // EINTR/EAGAIN/EBUSY/ENOMEM are transient (EBUSY: completions not yet reaped; the completion
        // thread reaps without this lock). Anything else means a corrupted ring: a bug.
        precondition(
          error == EINTR || error == EAGAIN || error == EBUSY || error == ENOMEM,
          "io_uring_submit failed: \(DeviceError.describe(errorNumber: error))")
      }
      attempts += 1
      if attempts % 64 == 0 { sched_yield() }
    }
  }

  // MARK: Completion

  private func runCompletions() {
    var batch: [(tag: UInt64, result: Int32)] = []
    batch.reserveCapacity(depth + 1)
    var finished: [(IORequest, Result<Int, DeviceError>)] = []
    while true {
      var entry: UnsafeMutablePointer<io_uring_cqe>? = nil
      let status = io_uring_wait_cqe(ring, &entry)
      if status < 0 {
        precondition(
          -status == EINTR || -status == EAGAIN || -status == ETIME,
          "io_uring_wait_cqe failed: \(DeviceError.describe(errorNumber: -status))")
        continue
      }
      batch.removeAll(keepingCapacity: true)
      while let cqe = entry {
        batch.append((cqe.pointee.user_data, cqe.pointee.res))
        io_uring_cqe_seen(ring, cqe)
        entry = nil
        if io_uring_peek_cqe(ring, &entry) != 0 { break }
      }
      finished.removeAll(keepingCapacity: true)
      let stop = resolve(batch, into: &finished)
      for (request, result) in finished {
        counters.record(request.kind, result)
        request.completion(result)
      }
      if stop {
        tearDownIfClosedFromCompletion()
        return
      }
    }
  }

  /// After the stop NOP, when `close()` ran on this thread: detach and tear the ring down here.
  private func tearDownIfClosedFromCompletion() {
    lock.lock()
    guard tearDownOnStop else {
      lock.unlock()
      return
    }
    completionThread?.joinOrDetach()
    completionThread = nil
    io_uring_queue_exit(ring)
    ringOpen = false
    lock.broadcast()
    lock.unlock()
    ring.deallocate()
  }

  /// Resolves a batch of CQEs under `lock`: resubmits the unfinished, frees the slots of the finished.
  /// Returns true when the stop NOP was seen.
  private func resolve(
    _ batch: [(tag: UInt64, result: Int32)], into finished: inout [(IORequest, Result<Int, DeviceError>)]
  ) -> Bool {
    lock.lock()
    defer { lock.unlock() }
    var stop = false
    for (tag, result) in batch {
      if tag == Self.stopTag {
        stop = true
        continue
      }
      let slot = Int(tag)
      guard let request = slots[slot] else {
        preconditionFailure("io_uring completion for empty slot \(slot)")
      }
      if let error = request.presetError {
        finish(slot: slot, .failure(error), into: &finished)
      } else if result < 0 {
        let error = -result
        if (error == EINTR || error == EAGAIN) && request.retryCount < IORequest.retryLimit {
          request.retryCount += 1
          prepare(slot: slot)
          continue
        }
        let file = request.file!
        finish(
          slot: slot,
          .failure(
            DeviceError.fromSystemCall(
              errorNumber: error, operation: request.kind.verb, path: file.path,
              offset: request.fileOffset + UInt64(request.bytesDone))),
          into: &finished)
      } else if result == 0 {
        let file = request.file!
        let error = file.endOfFile(
          request.kind, at: request.fileOffset + UInt64(request.bytesDone),
          wanted: request.length - request.bytesDone)
        finish(slot: slot, .failure(error), into: &finished)
      } else {
        request.bytesDone += Int(result)
        assert(request.bytesDone <= request.length)
        if request.bytesDone < request.length {
          prepare(slot: slot)  // a short transfer: the remainder
        } else {
          finish(slot: slot, .success(request.length), into: &finished)
        }
      }
    }
    while !backlog.isEmpty && !freeSlots.isEmpty {
      start(backlog.removeFirst())
    }
    if tearDownOnStop { submitStopIfIdle() }
    submitPrepared(force: true)
    if !finished.isEmpty { lock.broadcast() }
    return stop
  }

  /// Frees `slot` and queues its completion. Requires `lock`.
  private func finish(
    slot: Int, _ result: Result<Int, DeviceError>,
    into finished: inout [(IORequest, Result<Int, DeviceError>)]
  ) {
    finished.append((slots[slot]!, result))
    slots[slot] = nil
    freeSlots.append(slot)
  }

  // MARK: Close

  /// Refuses new I/O, waits for every in-flight request, stops the completion thread, and tears
  /// the ring down. Idempotent. On the completion thread itself it only refuses new I/O and returns;
  /// that thread finishes the rest.
  func close() {
    lock.lock()
    let onCompletionThread = completionThread?.isCurrent ?? false
    if closing {
      // Another close() is (or was) doing the work; wait for the teardown unless that is this thread.
      while ringOpen && !onCompletionThread { lock.wait() }
      lock.unlock()
      return
    }
    closing = true
    lock.broadcast()
    if onCompletionThread {
      tearDownOnStop = true
      submitStopIfIdle()
      lock.unlock()
      return
    }
    while freeSlots.count < depth || !backlog.isEmpty {
      lock.wait()
    }
    submitStopIfIdle()
    let thread = completionThread
    lock.unlock()
    thread?.joinOrDetach()
    lock.withLock {
      completionThread = nil
      io_uring_queue_exit(ring)
      ringOpen = false
      lock.broadcast()
    }
    ring.deallocate()
  }

  /// Submits the stop NOP once nothing is in flight. Requires `lock` and `closing`.
  private func submitStopIfIdle() {
    guard !stopSubmitted && freeSlots.count == depth && backlog.isEmpty else { return }
    stopSubmitted = true
    let sqe = nextSubmissionEntry()
    io_uring_prep_nop(sqe)
    io_uring_sqe_set_data64(sqe, Self.stopTag)
    unsubmittedCount += 1
    submitPrepared(force: true)
  }
}
