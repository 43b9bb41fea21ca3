import FasterTestSupport
import Testing

@testable import FasterCore

/// A session after `end()`: its epoch entry may belong to another session by now, so
/// nothing the ended session does may touch it; pending operations are completed by
/// `end()`, not dropped.
@Suite struct SessionLifecycleTests {
  func oneSessionStore() throws -> FixedSizeStore<UInt64, UInt64> {
    var options = smallOptions()
    options.maxSessions = 1
    return try FixedSizeStore<UInt64, UInt64>(options: options)
  }

  @Test func suspendAfterEndLeavesTheSlotsNewOwnerProtected() throws {
    let store = try oneSessionStore()
    let ended = try store.newSession()
    ended.end()
    let owner = try store.newSession()
    #expect(owner.epochSlot == ended.epochSlot, "one entry: the new session reuses it")
    #expect(store.lightEpoch.isProtected(owner.epochSlot))
    ended.suspend()
    #expect(
      store.lightEpoch.isProtected(owner.epochSlot), "the ended session unprotected another session's entry")
    #expect(owner.upsert(1, 1) == .ok)
  }

  @Test func refreshAfterEndDoesNotProtectAFreeSlot() throws {
    let store = try oneSessionStore()
    let ended = try store.newSession()
    ended.end()
    ended.refresh()
    #expect(!store.lightEpoch.isProtected(ended.epochSlot), "a free entry was protected")
    let ran = SharedCounter()
    store.lightEpoch.bumpEpoch { ran.add() }
    #expect(ran.current == 1, "a protected free entry holds every epoch action back")
  }

  @Test func refreshAfterEndDoesNotProtectAnotherSessionsSuspendedSlot() throws {
    let store = try oneSessionStore()
    let ended = try store.newSession()
    ended.end()
    let owner = try store.newSession()
    owner.suspend()
    ended.refresh()
    #expect(
      !store.lightEpoch.isProtected(owner.epochSlot), "the ended session protected another session's entry")
  }

  @Test func endTwiceAndCompletePendingAfterEndAreNoOps() throws {
    let store = try oneSessionStore()
    let session = try store.newSession()
    _ = session.upsert(1, 1)
    session.end()
    session.end()
    #expect(session.completePending(wait: true))
    #expect(session.completePendingWithResults(wait: true).isEmpty)
    #expect(!store.lightEpoch.isProtected(session.epochSlot))
    _ = try store.newSession()
  }

  @Test func endCompletesPendingOperationsAndReturnsTheirResults() throws {
    let directory = TemporaryDirectory("end-pending")
    let device = try TestDevice.file.open(directory)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(options: diskOptions(), device: device)
    let session = try store.newSession()
    _ = session.upsert(7, 70)
    for key in 1_000..<20_000 as Range<UInt64> { _ = session.upsert(key, key) }
    #expect(session.rmw(7, AddUpdate(delta: 5)) == .pending)
    let pendingBefore = session.pendingCount
    #expect(pendingBefore == 1)
    let results = session.end()
    #expect(results.count == pendingBefore, "end() dropped pending operations")
    #expect(results.first?.kind == .readModifyWrite && results.first?.status == .ok)
    #expect(session.pendingCount == 0)
    let reader = try store.newSession()
    var value: UInt64 = 0
    var status = reader.read(7, into: &value)
    if status == .pending {
      let result = reader.completePendingWithResults(wait: true).first
      status = result?.status ?? .deviceError
      value = result?.value ?? 0
    }
    #expect(status == .ok && value == 75, "the pending RMW was lost at end()")
  }
}
