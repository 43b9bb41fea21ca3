import CFasterShims
import FasterTestSupport
import Synchronization
import Testing

@testable import FasterCore

@Suite struct LightEpochTests {
  @Test func startsAtEpochOneWithNothingProtected() {
    let epoch = LightEpoch(capacity: 4)
    #expect(epoch.currentEpoch == 1)
    #expect(epoch.computeSafeToReclaimEpoch() == 0)
  }

  @Test func actionWaitsForEveryProtectedThread() {
    let epoch = LightEpoch(capacity: 4)
    let a = try! epoch.acquireSlot()
    let b = try! epoch.acquireSlot()
    epoch.protect(a)
    epoch.protect(b)
    let ran = Shared(false)
    epoch.bumpEpoch { ran.withLock { $0 = true } }
    #expect(!ran.withLock { $0 })
    epoch.refresh(a)
    #expect(!ran.withLock { $0 }, "b is still in the old epoch")
    epoch.refresh(b)
    #expect(ran.withLock { $0 }, "both threads moved past: the action ran in b's refresh")
  }

  @Test func unprotectedThreadsDoNotHoldActionsBack() {
    let epoch = LightEpoch(capacity: 2)
    let a = try! epoch.acquireSlot()
    epoch.protect(a)
    epoch.unprotect(a)
    let ran = Shared(false)
    epoch.bumpEpoch { ran.withLock { $0 = true } }
    #expect(ran.withLock { $0 })
  }

  @Test func actionsDrainInEpochOrder() {
    let epoch = LightEpoch(capacity: 2)
    let slot = try! epoch.acquireSlot()
    epoch.protect(slot)
    let order = Shared<[Int]>([])
    for i in 0..<5 {
      epoch.bumpEpoch { order.withLock { $0.append(i) } }
    }
    #expect(order.withLock { $0 }.isEmpty)
    epoch.refresh(slot)
    #expect(order.withLock { $0 } == [0, 1, 2, 3, 4])
    #expect(epoch.pendingActionCount == 0)
  }

  @Test func actionQueuedInALaterEpochWaitsForALaterRefresh() {
    let epoch = LightEpoch(capacity: 2)
    let a = try! epoch.acquireSlot()
    let b = try! epoch.acquireSlot()
    epoch.protect(a)
    epoch.protect(b)
    let order = Shared<[Int]>([])
    epoch.bumpEpoch { order.withLock { $0.append(1) } }
    epoch.refresh(b)  // b now in epoch 2
    epoch.bumpEpoch { order.withLock { $0.append(2) } }
    epoch.refresh(a)  // a in epoch 3: safe = 1 (b holds epoch 2)
    #expect(order.withLock { $0 } == [1])
    epoch.refresh(b)
    #expect(order.withLock { $0 } == [1, 2])
  }

  @Test func fullTableIsAClearError() throws {
    let epoch = LightEpoch(capacity: 2)
    _ = try epoch.acquireSlot()
    _ = try epoch.acquireSlot()
    #expect(throws: FasterError.tooManySessions(2)) { try epoch.acquireSlot() }
  }

  @Test func releasedSlotIsReused() throws {
    let epoch = LightEpoch(capacity: 1)
    let slot = try epoch.acquireSlot()
    epoch.protect(slot)
    epoch.releaseSlot(slot)
    #expect(!epoch.isProtected(slot))
    #expect(try epoch.acquireSlot() == slot)
  }

  @Test func sessionsBeyondCapacityAreRefusedUntilOneEnds() throws {
    var options = FasterKVOptions()
    options.maxSessions = 1
    options.indexSizeBytes = 1 << 12
    options.logMemoryBytes = 1 << 16
    options.pageSizeBytes = 1 << 12
    let store = try FixedSizeStore<UInt64, UInt64>(options: options)
    let first = try store.newSession()
    #expect(throws: FasterError.tooManySessions(1)) { try store.newSession() }
    first.end()
    _ = try store.newSession()
  }
}

@Suite struct EpochConcurrencyTests {
  /// The guarantee reclamation relies on: an object a thread obtained while protected is
  /// not retired (its epoch action has not run) until that thread refreshes or leaves.
  /// Thread 0 replaces the shared object now and then and retires the old one in an
  /// epoch action; every thread checks, at the end of each protected section, that the
  /// object it read at the start of it is still live.
  ///
  /// (A weaker-looking check, "when an action runs, no protected entry holds an epoch at or
  /// below the one it was queued in", does not hold: a thread that publishes its epoch
  /// while a bump scans the table may publish the old epoch just after the scan. That is
  /// safe, as this test shows: such a thread reads shared state only after publishing,
  /// so it sees the replacement, never the retired object.)
  @Test func objectsReadUnderProtectionAreNotRetiredBeforeTheThreadMovesOn() throws {
    let threads = 4
    let bumps = 200
    let epoch = LightEpoch(capacity: threads + 1)
    // One word per object: 1 once retired.
    let retired = UnsafeMutableRawPointer.allocate(byteCount: (bumps + 1) * 8, alignment: 8)
    retired.initializeMemory(as: UInt64.self, repeating: 0, count: bumps + 1)
    defer { retired.deallocate() }
    let current = Atomic<Int>(0)
    let violations = SharedCounter()
    let ranCount = SharedCounter()
    nonisolated(unsafe) let flags = retired
    @Sendable func retiredFlag(_ object: Int) -> AtomicWord { AtomicWord(flags + object * 8) }
    runThreads(threads) { t in
      let slot = try! epoch.acquireSlot()
      for i in 0..<4_000 {
        epoch.protect(slot)
        let object = current.load(ordering: .sequentiallyConsistent)
        if t == 0 && i % 20 == 0 && i / 20 < bumps {
          current.store(object + 1, ordering: .sequentiallyConsistent)
          epoch.bumpEpoch {
            retiredFlag(object).store(1, .sequentiallyConsistent)
            ranCount.add()
          }
        }
        for _ in 0..<(i % 7) { cfaster_spin_pause() }
        if retiredFlag(object).load(.sequentiallyConsistent) != 0 { violations.add() }
        epoch.unprotect(slot)
      }
      epoch.releaseSlot(slot)
    }
    epoch.drainAll()
    #expect(violations.current == 0)
    #expect(ranCount.current == UInt64(bumps))
  }
}
