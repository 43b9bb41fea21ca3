import FasterPlatform

/// Delivers completions on its own thread, each after a delay and, optionally, out of order: the
/// timing half of `FaultInjectingDevice`.
///
/// Invariants (guarded by `lock`): every scheduled completion runs exactly once, on the scheduler
/// thread; after `close()` returns the queue is empty and the thread has exited.
///
/// Thread safety: `schedule`, `close` and `reorder` may be used from any thread, including a
/// completion (then `close` returns at once and the thread exits after delivering the rest).
final class CompletionScheduler: @unchecked Sendable {
  // @unchecked Sendable: every mutable field is guarded by `lock`.
  private struct Entry {
    let dueNanoseconds: UInt64
    let enqueuedNanoseconds: UInt64
    let completion: IOCompletion
    let result: Result<Int, DeviceError>
  }

  /// With reordering on and a single completion waiting, how long it is held for company.
  private static let reorderWindowNanoseconds: UInt64 = 2_000_000

  private let lock = PThreadLock()
  private var entries: [Entry] = []
  private var random: DeterministicRandom
  private var reorderEnabled = false
  private var closing = false
  private var thread: DeviceThread?

  init(seed: UInt64) throws(DeviceError) {
    random = DeterministicRandom(seed: seed ^ 0x5EED_0F_0DE5)
    let started = try DeviceThread { [self] in run() }
    lock.withLock { thread = started }
  }

  var reorder: Bool {
    get { lock.withLock { reorderEnabled } }
    set { lock.withLock { reorderEnabled = newValue } }
  }

  /// Runs `completion(result)` on the scheduler thread after at least `delayNanoseconds`.
  /// Returns false if the scheduler is closed (nothing scheduled).
  @discardableResult
  func schedule(
    _ completion: @escaping IOCompletion, _ result: Result<Int, DeviceError>, delayNanoseconds: UInt64
  )
    -> Bool
  {
    let now = monotonicNanoseconds()
    return lock.withLock {
      guard !closing else { return false }
      entries.append(
        Entry(
          dueNanoseconds: now + delayNanoseconds, enqueuedNanoseconds: now, completion: completion,
          result: result))
      lock.broadcast()
      return true
    }
  }

  private func run() {
    while true {
      lock.lock()
      var chosen: Entry?
      while chosen == nil {
        if entries.isEmpty {
          if closing {
            lock.unlock()
            return
          }
          lock.wait()
          continue
        }
        let now = monotonicNanoseconds()
        let ready = entries.indices.filter { closing || entries[$0].dueNanoseconds <= now }
        let holdForCompany =
          reorderEnabled && !closing && entries.count < 2
          && now - entries[0].enqueuedNanoseconds < Self.reorderWindowNanoseconds
        if !ready.isEmpty && !holdForCompany {
          let index =
            reorderEnabled
            ? ready[Int(random.next(upperBound: UInt64(ready.count)))]
            : ready.min { entries[$0].dueNanoseconds < entries[$1].dueNanoseconds }!
          chosen = entries.remove(at: index)
        } else {
          let nextDue = entries.map(\.dueNanoseconds).min()!
          let wait = nextDue > now ? nextDue - now : Self.reorderWindowNanoseconds / 4
          lock.wait(timeoutNanoseconds: min(wait, Self.reorderWindowNanoseconds))
        }
      }
      lock.unlock()
      chosen!.completion(chosen!.result)
    }
  }

  /// Delivers everything still queued (without waiting out delays), then stops the thread. Idempotent.
  func close() {
    let toJoin: DeviceThread? = lock.withLock {
      closing = true
      lock.broadcast()
      defer { thread = nil }
      return thread
    }
    toJoin?.joinOrDetach()
  }
}
