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
  /// The epoch's contract, as a reclaimer uses it: thread 0 publishes a new version of a
  /// shared object and queues the old one's reclamation with `bumpEpoch`; the others,
  /// while protected, read the current version and use it. No thread may find the
  /// version it read (while protected) reclaimed.
  ///
  /// (Checking instead that every protected entry's epoch is past the action's epoch is
  /// too strict: a thread that loaded the epoch before the bump may publish it after the
  /// drain's scan. That is safe — everything it reads afterwards comes after the unlink in
  /// the sequentially consistent order — but it fails such a check under load.)
  @Test func actionsRunOnlyWhenSafe() throws {
    let threads = 4
    let epoch = LightEpoch(capacity: threads + 1)
    let bumps = 200
    let current = SharedCounter()
    let reclaimed = (0...bumps).map { _ in SharedCounter() }
    let violations = SharedCounter()
    let ranCount = SharedCounter()
    runThreads(threads) { t in
      let slot = try! epoch.acquireSlot()
      for i in 0..<4_000 {
        epoch.protect(slot)
        if t == 0 && i % 20 == 0 && i / 20 < bumps {
          let old = current.add()  // publish version old + 1: old is unlinked
          epoch.bumpEpoch {
            reclaimed[Int(old)].add()
            ranCount.add()
          }
        } else {
          let version = Int(current.current)
          if reclaimed[version].current != 0 { violations.add() }
          for _ in 0..<(i % 7) { _ = current.current }  // use it for a while
          if reclaimed[version].current != 0 { violations.add() }
        }
        epoch.unprotect(slot)
      }
      epoch.releaseSlot(slot)
    }
    epoch.drainAll()
    #expect(violations.current == 0, "a version was reclaimed while a protected thread used it")
    #expect(ranCount.current == UInt64(bumps))
  }
}
