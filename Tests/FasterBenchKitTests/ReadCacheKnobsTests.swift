import FasterCore
import Testing
import YCSB

@testable import FasterBenchKit

@Suite struct ReadCacheKnobsTests {
  func knobs(_ pairs: [String: String]) throws(ConfigurationError) -> EngineKnobs {
    var properties = Properties()
    for (name, value) in pairs.sorted(by: { $0.key < $1.key }) { properties[name] = value }
    return try EngineKnobs(properties: properties)
  }

  @Test func readCacheKnobsBecomeTheStoreSettingsAndAreRecorded() throws {
    let parsed = try knobs([
      "faster.device": "file", "faster.readcache.enabled": "on", "faster.readcache.memory": "64m",
      "faster.readcache.pagesize": "1m", "faster.readcache.secondchancefraction": "0.2",
    ])
    let settings = try #require(parsed.readCacheSettings)
    #expect(settings.memoryBytes == 64 << 20)
    #expect(settings.pageSizeBytes == 1 << 20)
    #expect(settings.secondChanceFraction == 0.2)
    let record = KnobsRecord(parsed)
    #expect(record.readCache?.memoryBytes == 64 << 20)
    #expect(KnobsRecord(try knobs([:])).readCache == nil)
    #expect(try knobs([:]).readCacheSettings == nil)
    #expect(
      try knobs(["faster.readcache.enabled": "off", "faster.readcache.memory": "1g"]).readCacheSettings == nil
    )
  }

  @Test(arguments: [
    (["faster.readcache.enabled": "maybe"], "faster.readcache.enabled"),
    (["faster.readcache.enabled": "on"], "faster.device"),
    (["faster.readcache.memory": "1g"], "faster.readcache.enabled=on"),
    (
      ["faster.device": "file", "faster.readcache.enabled": "on", "faster.readcache.memory": "3m"],
      "faster.readcache.memory"
    ),
    (
      [
        "faster.device": "file", "faster.readcache.enabled": "on", "faster.readcache.memory": "8m",
        "faster.readcache.pagesize": "4m",
      ], "faster.readcache.memory"
    ),
    (
      [
        "faster.device": "file", "faster.readcache.enabled": "on",
        "faster.readcache.secondchancefraction": "1",
      ],
      "faster.readcache.secondchancefraction"
    ),
  ])
  func badReadCacheKnobsAreRejectedByName(pairs: [String: String], mentioned: String) {
    do {
      _ = try knobs(pairs)
      Issue.record("accepted \(pairs)")
    } catch {
      #expect(error.description.contains(mentioned), "\(error.description)")
    }
  }
}
