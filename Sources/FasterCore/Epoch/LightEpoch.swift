import CFasterShims
import FasterPlatform

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

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
/// - `safeToReclaimEpoch < currentEpoch`, and `<` the epoch of every entry that was
///   protected when it was computed. A thread that protects while a bump scans the table
///   may publish the old epoch just after the scan; that is safe, because it reads shared
///   state only after publishing (sequentially consistent), so it sees whatever the bump's
///   caller unlinked before bumping, never the retired memory (`EpochConcurrencyTests`).
/// - An action runs exactly once, on whichever thread drains it (a `refresh`, `protect`,
///   `releaseSlot` or `bumpEpoch` caller), after its epoch is safe. One drain runs what it
///   took in epoch order; actions taken by different threads may run at the same time
///   and in either order (so actions that share state lock it themselves).
/// - No lock is held while an action runs: an action may call `bumpEpoch` (flushes do).
/// - `pendingActionCount` (queued, not yet taken) is written only under the drain-list
///   lock, as the list's length: it never goes below zero.
/// - `unfinishedActionCount` (queued or running) is raised under that lock before an
///   action is published and lowered only after the action returned; an action that
///   queues another raises the count before its own is lowered, so the count reaches zero
///   only when every action, including those queued by actions, has finished.
///   `drainAll` waits for that zero.
///
/// Thread safety: protect/refresh/unprotect are lock-free and touch only the caller's
/// entry plus shared reads; the drain list is under a `ControlLock` (a pthread mutex),
/// taken only when actions are pending (`pendingActionCount > 0`).
public final class LightEpoch: @unchecked Sendable {
  // @unchecked Sendable: shared state is raw memory used through atomic words, and the
  // drain list is a `ControlLock`.

  /// Bytes per table entry: one cache line.
  @inlinable public static var entrySizeBytes: Int { 64 }

  /// The number of entries (the most threads that can be protected at once).
  public let capacity: Int
  /// Entry table; then at `globalsOffset`: current epoch, safe-to-reclaim epoch, pending
  /// action count, unfinished action count, each on its own cache line.
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
    let byteCount = globalsOffset + EpochTable.globalsSizeBytes
    memory = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
    memory.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
    table = EpochTable(memory: memory, globalsOffset: globalsOffset)
    currentEpochWord.store(1, .sequentiallyConsistent)
  }

  deinit { memory.deallocate() }

  @inlinable var currentEpochWord: AtomicWord { table.currentEpochWord }
  @inlinable var safeToReclaimWord: AtomicWord { table.safeToReclaimWord }
  @inlinable var pendingActionWord: AtomicWord { table.pendingActionWord }
  @inlinable var unfinishedActionWord: AtomicWord { table.unfinishedActionWord }
  @inlinable func epochWord(_ slot: Int) -> AtomicWord { table.epochWord(slot) }
  @inlinable func ownerWord(_ slot: Int) -> AtomicWord { table.ownerWord(slot) }

  /// The current epoch.
  public var currentEpoch: UInt64 { currentEpochWord.load(.sequentiallyConsistent) }
  /// The newest epoch that no protected thread can still be in.
  public var safeToReclaimEpoch: UInt64 { safeToReclaimWord.load(.acquiring) }
  /// Actions queued and not yet taken to run.
  public var pendingActionCount: Int { Int(pendingActionWord.load(.acquiring)) }
  /// Actions queued or running: zero once every action queued so far has returned.
  public var unfinishedActionCount: Int { Int(unfinishedActionWord.load(.acquiring)) }

  /// Claims a table entry for the calling thread (or session).
  ///
  /// - Throws: `FasterError.tooManySessions` when every entry is taken.
  public func acquireSlot() throws(FasterError) -> Int {
    for slot in 0..<capacity where ownerWord(slot).compareExchange(expected: 0, desired: 1) {
      assert(epochWord(slot).load(.relaxed) == 0, "a free epoch entry was left protected")
      return slot
    }
    throw FasterError.tooManySessions(capacity)
  }

  /// Returns an entry to the table, unprotecting it first. The caller must not use the
  /// slot afterwards: another thread may own it from the next instant.
  public func releaseSlot(_ slot: Int) {
    precondition(slot >= 0 && slot < capacity, "epoch slot out of range")
    precondition(ownerWord(slot).load(.relaxed) == 1, "releasing an epoch slot that is not owned")
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
    table.assertOwned(slot)
    epochWord(slot).store(0, .releasing)
  }

  /// True if `slot` is protected.
  public func isProtected(_ slot: Int) -> Bool { epochWord(slot).load(.acquiring) != 0 }

  /// Increments the epoch and queues `action` to run once every thread has left the
  /// epoch before the increment. Returns the epoch the action waits out.
  ///
  /// The action runs on some thread that drains (maybe this one, before this call
  /// returns), with no lock held; it may call `bumpEpoch` itself.
  @discardableResult
  public func bumpEpoch(action: @escaping @Sendable () -> Void) -> UInt64 {
    let priorEpoch = currentEpochWord.fetchAdd(1, .sequentiallyConsistent)
    drainList.withLock { list in
      // Counted before it can be taken: a drain needs this lock to take it.
      _ = unfinishedActionWord.fetchAdd(1, .sequentiallyConsistent)
      list.sequence &+= 1
      list.actions.append(PendingAction(epoch: priorEpoch, sequence: list.sequence, action: action))
      pendingActionWord.store(UInt64(list.actions.count), .sequentiallyConsistent)
    }
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
    assert(oldest >= 1, "epochs start at 1")
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
      if !ready.isEmpty { pendingActionWord.store(UInt64(list.actions.count), .sequentiallyConsistent) }
      return ready
    }
    guard !ready.isEmpty else { return }
    assert(safe < currentEpochWord.load(.sequentiallyConsistent), "safe epoch must trail the current one")
    for pending in ready.sorted(by: { ($0.epoch, $0.sequence) < ($1.epoch, $1.sequence) }) {
      pending.action()
      let before = unfinishedActionWord.fetchAdd(UInt64.max, .sequentiallyConsistent)  // -1
      assert(before > 0, "more actions finished than were queued")
    }
  }

  /// Waits until every action queued so far, and every action those queue, has finished
  /// running (on whichever thread took it), draining ready actions meanwhile. `slot`, if
  /// given, is refreshed so the caller does not hold the actions back itself; a caller
  /// that is protected in another slot would wait forever. Must not be called from an
  /// action (it would wait for itself). For control-plane callers and tests.
  public func drainAll(refreshing slot: Int? = nil) {
    var spins = 0
    while unfinishedActionWord.load(.sequentiallyConsistent) != 0 {
      if let slot { refresh(slot) } else { drainIfPending() }
      spins &+= 1
      // Another thread may be running a long action (a flush): let it have the CPU.
      if spins & 63 == 0 { sched_yield() } else { cfaster_spin_pause() }
    }
  }
}
