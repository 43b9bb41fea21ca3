import CFasterShims

/// Epoch protection (FASTER's LightEpoch): lets threads read shared memory without locks
/// while other threads retire it.
///
/// A global current epoch and a bounded table of per-thread entries, one cache line each
/// (so threads never share a line). A thread `protect`s (publishes the current epoch in
/// its entry) before touching shared memory and `refresh`es every few operations.
/// `bumpEpoch(action:)` increments the epoch and queues `action`; it runs once every
/// protected thread has published an epoch past the old one — the "safe to reclaim"
/// epoch — so no thread can still hold a pointer obtained before the bump.
///
/// Invariants:
/// - `currentEpoch` only grows and starts at 1; an entry's epoch of 0 means "not protected".
/// - `safeToReclaimEpoch < ` every protected entry's epoch, and `< currentEpoch`.
/// - Actions run exactly once, in order of the epoch they were queued in, on whichever
///   thread drains them (a `refresh`, `protect` or `bumpEpoch` caller).
///
/// Thread safety: protect/refresh/unprotect are lock-free and touch only the caller's
/// entry plus shared reads; the drain list is under a mutex, taken only when actions are
/// pending (`pendingActionCount > 0`).
public final class LightEpoch: @unchecked Sendable {
  // @unchecked Sendable: shared state is raw memory used through atomic words, and the
  // drain list is a Mutex.

  /// Bytes per table entry: one cache line.
  @inlinable public static var entrySizeBytes: Int { 64 }

  /// The number of entries (the most threads that can be protected at once).
  public let capacity: Int
  /// Entry table; then at `globalsOffset`: current epoch, safe-to-reclaim epoch, pending
  /// action count, each on its own cache line.
  @usableFromInline let memory: UnsafeMutableRawPointer
  /// The lock-free part, as a struct the hot path copies.
  @usableFromInline let table: EpochTable

  private struct PendingAction: Sendable {
    let epoch: UInt64
    let sequence: UInt64
    let action: @Sendable () -> Void
  }
  private let drainList = ControlLock<(actions: [PendingAction], sequence: UInt64)>(([], 0))

  /// Creates a table with room for `capacity` threads.
  public init(capacity: Int) {
    precondition(capacity > 0, "epoch table capacity must be positive")
    self.capacity = capacity
    let globalsOffset = capacity * LightEpoch.entrySizeBytes
    let byteCount = globalsOffset + 3 * 64
    memory = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
    memory.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
    table = EpochTable(memory: memory, globalsOffset: globalsOffset)
    currentEpochWord.store(1, .sequentiallyConsistent)
  }

  deinit { memory.deallocate() }

  @inlinable var currentEpochWord: AtomicWord { table.currentEpochWord }
  @inlinable var safeToReclaimWord: AtomicWord { table.safeToReclaimWord }
  @inlinable var pendingActionWord: AtomicWord { table.pendingActionWord }
  @inlinable func epochWord(_ slot: Int) -> AtomicWord { table.epochWord(slot) }
  @inlinable func ownerWord(_ slot: Int) -> AtomicWord { table.ownerWord(slot) }

  /// The current epoch.
  public var currentEpoch: UInt64 { currentEpochWord.load(.sequentiallyConsistent) }
  /// The newest epoch that no protected thread can still be in.
  public var safeToReclaimEpoch: UInt64 { safeToReclaimWord.load(.acquiring) }
  /// Actions queued and not yet run.
  public var pendingActionCount: Int { Int(pendingActionWord.load(.acquiring)) }

  /// Claims a table entry for the calling thread (or session).
  ///
  /// - Throws: `FasterError.tooManySessions` when every entry is taken.
  public func acquireSlot() throws(FasterError) -> Int {
    for slot in 0..<capacity where ownerWord(slot).compareExchange(expected: 0, desired: 1) {
      return slot
    }
    throw FasterError.tooManySessions(capacity)
  }

  /// Returns an entry to the table, unprotecting it first.
  public func releaseSlot(_ slot: Int) {
    precondition(slot >= 0 && slot < capacity, "epoch slot out of range")
    unprotect(slot)
    ownerWord(slot).store(0, .releasing)
    drainIfPending()
  }

  /// Publishes the current epoch in `slot`: from now on, memory retired by a later
  /// `bumpEpoch` stays valid until this slot refreshes or unprotects. Runs ready actions.
  @inlinable
  public func protect(_ slot: Int) {
    if table.protect(slot) { drainIfPending() }
  }

  /// Same as `protect`: moves the slot to the current epoch and runs ready actions.
  @inlinable
  public func refresh(_ slot: Int) { protect(slot) }

  /// Leaves protection: the thread holds no pointers into shared memory.
  @inlinable
  public func unprotect(_ slot: Int) {
    epochWord(slot).store(0, .releasing)
  }

  /// True if `slot` is protected.
  public func isProtected(_ slot: Int) -> Bool { epochWord(slot).load(.acquiring) != 0 }

  /// Increments the epoch and queues `action` to run once every thread has left the
  /// epoch before the increment. Returns the epoch the action waits out.
  @discardableResult
  public func bumpEpoch(action: @escaping @Sendable () -> Void) -> UInt64 {
    let priorEpoch = currentEpochWord.fetchAdd(1, .sequentiallyConsistent)
    drainList.withLock { list in
      list.sequence &+= 1
      list.actions.append(PendingAction(epoch: priorEpoch, sequence: list.sequence, action: action))
    }
    _ = pendingActionWord.fetchAdd(1, .sequentiallyConsistent)
    drainIfPending()
    return priorEpoch
  }

  /// Increments the epoch with no action.
  public func bumpEpoch() { _ = currentEpochWord.fetchAdd(1, .sequentiallyConsistent) }

  /// Recomputes the safe-to-reclaim epoch from the table: one less than the oldest
  /// published epoch (or than the current one when no thread is protected).
  @discardableResult
  public func computeSafeToReclaimEpoch() -> UInt64 {
    var oldest = currentEpochWord.load(.sequentiallyConsistent)
    for slot in 0..<capacity {
      let epoch = epochWord(slot).load(.sequentiallyConsistent)
      if epoch != 0 && epoch < oldest { oldest = epoch }
    }
    let safe = oldest &- 1
    safeToReclaimWord.raise(to: safe)
    return safe
  }

  /// Runs the queued actions whose epoch is now safe, oldest first.
  @usableFromInline
  func drainIfPending() {
    guard pendingActionWord.load(.acquiring) != 0 else { return }
    let safe = computeSafeToReclaimEpoch()
    let ready: [PendingAction] = drainList.withLock { list in
      var ready: [PendingAction] = []
      list.actions.removeAll { pending in
        guard pending.epoch <= safe else { return false }
        ready.append(pending)
        return true
      }
      return ready
    }
    guard !ready.isEmpty else { return }
    _ = pendingActionWord.fetchAdd(UInt64(bitPattern: Int64(-ready.count)), .sequentiallyConsistent)
    for pending in ready.sorted(by: { ($0.epoch, $0.sequence) < ($1.epoch, $1.sequence) }) {
      pending.action()
    }
  }

  /// Waits (refreshing `slot`, if given, so the caller does not block itself) until all
  /// queued actions have run. For control-plane callers and tests.
  public func drainAll(refreshing slot: Int? = nil) {
    while pendingActionCount != 0 {
      if let slot { refresh(slot) } else { drainIfPending() }
      cfaster_spin_pause()
    }
  }
}
