import FasterPlatform
import FasterTestSupport
import Testing

@testable import FasterCore

/// The flush bookkeeping under out-of-order completions, driven step by step.
@Suite struct FlushOrderingTests {
  func makeLog(device: ManualCompletionDevice, pages: Int = 4) throws -> HybridLog {
    let settings = HybridLogSettings(pageSizeBytes: 4096, memoryBytes: pages * 4096, hugePages: .off)
    return try HybridLog(settings: settings, epoch: LightEpoch(capacity: 2), device: device)
  }

  /// R1 [64,1064) in flight; R2 [1064,4096) parked behind it (they share a sector);
  /// R3 [4096,5096) written; R4 [5096,6096) parked behind R3. R3 completes before R1:
  /// R4 must still be released and written once R3 is done.
  @Test func aParkedWriteIsReleasedWhenItsPredecessorCompletesOutOfOrder() throws {
    let device = ManualCompletionDevice(alignment: 512)
    let log = try makeLog(device: device)
    log.flush(until: Address(1064))
    log.flush(until: Address(5096))
    log.flush(until: Address(6096))
    // Submitted so far: R1 (device range [0,1536)) and R3 ([4096,5120)).
    #expect(device.pendingWrites.map(\.offset) == [0, 4096])
    device.take(at: 4096)?.succeed()  // R3 first
    #expect(device.pendingWrites.map(\.offset) == [0, 5120 - 512], "R4 follows R3 at once")
    device.take(at: 0)?.succeed()  // then R1, which releases R2
    var rounds = 0
    while log.flushedUntilAddress.rawValue < 6096 && rounds < 10 {
      for write in device.takeAll() { write.succeed() }
      rounds += 1
    }
    #expect(log.flushedUntilAddress.rawValue == 6096)
    #expect(device.pendingWrites.isEmpty)
  }

  /// Completions in reverse address order still raise `flushedUntil` all the way.
  @Test func completionsInReverseOrderAreAllCounted() throws {
    let device = ManualCompletionDevice(alignment: 512)
    let log = try makeLog(device: device)
    log.flush(until: Address(4 * 4096))
    let writes = device.takeAll()
    #expect(writes.count == 4, "one write per page")
    for write in writes.reversed() { write.succeed() }
    #expect(log.flushedUntilAddress.rawValue == 4 * 4096)
  }
}
