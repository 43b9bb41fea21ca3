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
  /// Threads refresh while one bumps with actions that record the safe epoch they ran
  /// at: each action must run after every thread left the epoch it was queued in.
  @Test func actionsRunOnlyWhenSafe() throws {
    let threads = 4
    let epoch = LightEpoch(capacity: threads + 1)
    let violations = SharedCounter()
    let ranCount = SharedCounter()
    let bumps = 200
    runThreads(threads) { t in
      let slot = try! epoch.acquireSlot()
      for i in 0..<4_000 {
        epoch.protect(slot)
        if t == 0 && i % 20 == 0 && i / 20 < bumps {
          let queuedIn = epoch.currentEpoch
          epoch.bumpEpoch {
            // Every protected slot must now be past `queuedIn`.
            for s in 0..<(threads + 1) {
              let e = epoch.epochWord(s).load(.sequentiallyConsistent)
              if e != 0 && e <= queuedIn { violations.add() }
            }
            ranCount.add()
          }
        }
        epoch.unprotect(slot)
      }
      epoch.releaseSlot(slot)
    }
    epoch.drainAll()
    #expect(violations.current == 0)
    #expect(ranCount.current == UInt64(bumps))
  }
}
