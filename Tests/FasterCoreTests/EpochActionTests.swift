import FasterTestSupport
import Foundation
import Testing

@testable import FasterCore

/// `LightEpoch`'s action bookkeeping: the pending count never goes below zero, and
/// `drainAll` returns only once every action has *finished* running (not just been taken
/// off the list), including actions queued by actions.
@Suite struct EpochActionTests {
  @Test func drainAllWaitsForAnActionRunningOnAnotherThread() {
    let epoch = LightEpoch(capacity: 2)
    let slot = try! epoch.acquireSlot()
    epoch.protect(slot)
    let started = DispatchSemaphore(value: 0)
    let finished = SharedCounter()
    epoch.bumpEpoch {
      started.signal()
      usleep(300_000)
      finished.add()
    }
    #expect(finished.current == 0, "the protected slot holds the action back")
    // Another thread refreshes the slot: it drains the action and runs it (slowly).
    let worker = Thread { epoch.refresh(slot) }
    worker.start()
    started.wait()
    epoch.drainAll()
    #expect(finished.current == 1, "drainAll returned while the action was still running")
  }

  @Test func drainAllWaitsForActionsQueuedByActions() {
    let epoch = LightEpoch(capacity: 2)
    let slot = try! epoch.acquireSlot()
    epoch.protect(slot)
    let started = DispatchSemaphore(value: 0)
    let finished = SharedCounter()
    epoch.bumpEpoch {
      started.signal()
      usleep(100_000)
      // A flush action does this: queue the next step from inside an action.
      epoch.bumpEpoch {
        usleep(100_000)
        finished.add()
      }
    }
    let worker = Thread {
      epoch.refresh(slot)
      epoch.unprotect(slot)
    }
    worker.start()
    started.wait()
    epoch.drainAll()
    #expect(finished.current == 1, "drainAll returned before the action's own action ran")
    #expect(epoch.pendingActionCount == 0)
  }

  @Test func pendingCountCountsQueuedActions() {
    let epoch = LightEpoch(capacity: 2)
    let slot = try! epoch.acquireSlot()
    epoch.protect(slot)
    for _ in 0..<3 { epoch.bumpEpoch {} }
    #expect(epoch.pendingActionCount == 3)
    epoch.refresh(slot)
    #expect(epoch.pendingActionCount == 0)
  }
}

@Suite struct EpochActionConcurrencyTests {
  /// Four threads bump with empty actions (each bump drains too) and read the count: the
  /// count must never wrap below zero (it used to trap converting a wrapped count to Int).
  @Test func pendingCountNeverGoesNegative() {
    let epoch = LightEpoch(capacity: 4)
    let negative = SharedCounter()
    runThreads(4) { _ in
      for _ in 0..<20_000 {
        epoch.bumpEpoch {}
        let raw = epoch.pendingActionWord.load(.sequentiallyConsistent)
        if raw > 1 << 32 { negative.add() }
        if epoch.pendingActionCount < 0 { negative.add() }
      }
    }
    epoch.drainAll()
    #expect(negative.current == 0)
    #expect(epoch.pendingActionCount == 0)
  }

  /// Actions run on several threads at once while others bump and drain: each
  /// `drainAll` returns with every action queued before it finished.
  @Test func drainAllSeesEveryActionFinishedUnderConcurrentDrains() {
    let threads = 3
    let epoch = LightEpoch(capacity: threads)
    let queued = SharedCounter()
    let finished = SharedCounter()
    let early = SharedCounter()
    runThreads(threads) { t in
      let slot = try! epoch.acquireSlot()
      for i in 0..<300 {
        epoch.protect(slot)
        if i % 3 == t % 3 {
          epoch.bumpEpoch {
            usleep(20)
            finished.add()
          }
          queued.add()
        }
        epoch.unprotect(slot)
      }
      let before = queued.current
      epoch.drainAll()
      if finished.current < before { early.add() }
      epoch.releaseSlot(slot)
    }
    epoch.drainAll()
    #expect(early.current == 0, "drainAll returned before actions queued earlier had run")
    #expect(finished.current == queued.current)
  }
}
