import FasterCore
import Testing
import YCSB

@testable import FasterBenchKit

@Suite struct CompactionKnobsTests {
  func knobs(_ pairs: [String: String]) throws(ConfigurationError) -> EngineKnobs {
    var properties = Properties()
    for (name, value) in pairs.sorted(by: { $0.key < $1.key }) { properties[name] = value }
    return try EngineKnobs(properties: properties)
  }

  @Test func compactionKnobsBecomeTheStorePolicyAndAreRecorded() throws {
    let parsed = try knobs([
      "faster.device": "file", "faster.compaction": "on", "faster.compaction.maxdiskbytes": "64m",
      "faster.compaction.minlivefraction": "0.3", "faster.compaction.fraction": "0.25",
      "faster.compaction.method": "scan", "faster.compaction.interval": "50",
    ])
    let policy = try #require(parsed.autoCompactionPolicy)
    #expect(policy.maxDeviceLogBytes == 64 << 20)
    #expect(policy.minLiveFraction == 0.3)
    #expect(policy.compactFraction == 0.25)
    #expect(policy.method == .scan)
    #expect(policy.checkIntervalMilliseconds == 50)
    let record = KnobsRecord(parsed)
    #expect(record.compaction?.maxDiskBytes == 64 << 20)
    #expect(record.compaction?.method == "scan")
    #expect(KnobsRecord(try knobs([:])).compaction == nil)
    #expect(try knobs([:]).autoCompactionPolicy == nil)
    // An explicit off wins over a workload file's sub-knobs.
    let off = try knobs(["faster.compaction": "off", "faster.compaction.maxdiskbytes": "1g"])
    #expect(off.autoCompactionPolicy == nil)
  }

  @Test(arguments: [
    (["faster.compaction": "maybe"], "faster.compaction"),
    (["faster.device": "file", "faster.compaction": "on"], "needs a trigger"),
    (["faster.compaction": "on", "faster.compaction.maxdiskbytes": "1g"], "faster.device"),
    (["faster.compaction.maxdiskbytes": "1g"], "faster.compaction=on"),
    (
      ["faster.device": "file", "faster.compaction": "on", "faster.compaction.minlivefraction": "1.5"],
      "faster.compaction.minlivefraction"
    ),
    (
      [
        "faster.device": "file", "faster.compaction": "on", "faster.compaction.maxdiskbytes": "1g",
        "faster.compaction.method": "sweep",
      ], "faster.compaction.method"
    ),
  ])
  func badCompactionKnobsAreRejectedByName(pairs: [String: String], mentioned: String) {
    do {
      _ = try knobs(pairs)
      Issue.record("accepted \(pairs)")
    } catch {
      #expect(error.description.contains(mentioned), "\(error.description)")
    }
  }
}
