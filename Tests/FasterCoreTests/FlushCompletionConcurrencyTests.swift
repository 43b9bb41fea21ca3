import FasterPlatform
import FasterTestSupport
import Foundation
import Synchronization
import Testing

@testable import FasterCore

/// Flush completions that run on two device threads at once (the file device has two).
@Suite struct FlushCompletionConcurrencyTests {
  /// Two adjacent page writes complete at the same moment on two threads: whatever the
  /// interleaving, `flushedUntil` must end past both. (It once stuck below the second one
  /// in about 1 of 150 trials: the new value was computed under the lock and published
  /// after it, so the later range was parked with nobody left to raise past it.)
  @Test func adjacentCompletionsOnTwoThreadsAreBothCounted() throws {
    let trials = ProcessInfo.processInfo.environment["FASTER_TSAN"] == nil ? 3000 : 300
    var stuck = 0
    for _ in 0..<trials {
      let device = ManualCompletionDevice(alignment: 512)
      let settings = HybridLogSettings(pageSizeBytes: 4096, memoryBytes: 4 * 4096, hugePages: .off)
      let log = try HybridLog(settings: settings, epoch: LightEpoch(capacity: 2), device: device)
      log.flush(until: Address(2 * 4096))
      let writes = device.takeAll()
      #expect(writes.count == 2)
      let arrived = Atomic<Int>(0)
      runThreads(2) { index in
        arrived.add(1, ordering: .sequentiallyConsistent)
        while arrived.load(ordering: .sequentiallyConsistent) < 2 {}
        writes[index].succeed()
      }
      if log.flushedUntilAddress.rawValue != 2 * 4096 { stuck += 1 }
    }
    #expect(stuck == 0, "flushedUntil stuck below completed writes in \(stuck) of \(trials) trials")
  }
}
