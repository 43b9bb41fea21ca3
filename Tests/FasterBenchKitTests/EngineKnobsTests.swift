import FasterPlatform
import Testing
import YCSB

@testable import FasterBenchKit

@Suite struct EngineKnobsTests {
  func knobs(_ pairs: [String: String]) throws(ConfigurationError) -> EngineKnobs {
    var properties = Properties()
    for (name, value) in pairs.sorted(by: { $0.key < $1.key }) { properties[name] = value }
    return try EngineKnobs(properties: properties)
  }

  @Test func defaultsWhenNothingIsSet() throws {
    let parsed = try knobs([:])
    #expect(parsed == EngineKnobs())
    #expect(parsed.record == .ycsb)
    #expect(parsed.pinning == .compact)
    #expect(parsed.hugePages)
    #expect(parsed.completePendingInterval == 1600)
    #expect(parsed.indexSizeBytes == nil && parsed.logMemoryBytes == nil)
  }

  @Test func parsesEveryKnob() throws {
    let parsed = try knobs([
      "faster.index.size": "64m", "faster.log.memory": "2g", "faster.log.pagesize": "32m",
      "faster.log.mutablefraction": "0.5", "faster.pinning": "spread", "faster.hugepages": "off",
      "faster.refreshinterval": "128", "faster.record": "compact", "faster.completependinginterval": "256",
    ])
    #expect(parsed.indexSizeBytes == 64 << 20)
    #expect(parsed.logMemoryBytes == 2 << 30)
    #expect(parsed.pageSizeBytes == 32 << 20)
    #expect(parsed.mutableFraction == 0.5)
    #expect(parsed.pinning == .spread)
    #expect(!parsed.hugePages)
    #expect(parsed.refreshInterval == 128)
    #expect(parsed.record == .compact)
    #expect(parsed.completePendingInterval == 256)
  }

  @Test(arguments: [
    ("faster.index.size", "lots", "faster.index.size"), ("faster.index.size", "100", "power of two"),
    ("faster.log.memory", "3g", "power-of-two"), ("faster.log.pagesize", "2k", "4k to 1g"),
    ("faster.log.mutablefraction", "1.5", "(0, 1]"), ("faster.log.mutablefraction", "0", "(0, 1]"),
    ("faster.pinning", "everywhere", "none, compact or spread"), ("faster.hugepages", "maybe", "on or off"),
    ("faster.refreshinterval", "-3", "positive integer"), ("faster.record", "huge", "compact"),
    ("faster.completependinginterval", "0", "positive integer"),
    ("faster.batch", "0", "from 1"), ("faster.batch", "4097", "to 4096"), ("faster.batch", "many", "from 1"),
  ])
  func malformedValuesNameThePropertyAndTheAcceptedForm(name: String, value: String, form: String) {
    #expect {
      _ = try knobs([name: value])
    } throws: { error in
      let text = (error as? ConfigurationError)?.description ?? ""
      return text.contains(name) && text.contains(value) && text.contains(form)
    }
  }

  @Test func anUnknownFasterKnobIsAnErrorListingTheKnownOnes() {
    #expect {
      _ = try knobs(["faster.log.memroy": "2g"])
    } throws: { error in
      let text = (error as? ConfigurationError)?.description ?? ""
      return text.contains("faster.log.memroy") && text.contains("faster.log.memory")
    }
  }

  @Test func logMemoryMustHoldAPage() {
    #expect(throws: ConfigurationError.self) {
      _ = try knobs(["faster.log.pagesize": "64m", "faster.log.memory": "32m"])
    }
  }
}
