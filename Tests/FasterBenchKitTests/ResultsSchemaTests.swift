import Foundation
import Testing

@testable import FasterBenchKit

/// The results file's schema 2 (histograms as base64 V2 encodings) still reads schema 1
/// baselines (a committed fixture) and the committed baselines, and holds nothing jq cannot
/// round-trip.
@Suite struct ResultsSchemaTests {
  static let baselines: [String] = {
    let root = TestSupport.workloadsDirectory.deletingLastPathComponent().appendingPathComponent(
      "results/baselines")
    let files = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String } ?? []
    return files.filter { $0.hasSuffix(".json") }.map { root.appendingPathComponent($0).path }.sorted()
  }()

  @Test func bothCommittedBaselinesAreFound() {
    #expect(Self.baselines.count >= 2, "\(Self.baselines)")
  }

  /// A schema 1 baseline as the smoke job committed it before schema 2 (Tests/Fixtures).
  static let schemaOneFixture = TestSupport.workloadsDirectory.deletingLastPathComponent()
    .appendingPathComponent("Tests/Fixtures/schema1-smoke-quick.json").path

  @Test func theSchemaOneFixtureIsSchemaOne() throws {
    #expect(try ResultsLoader.load(path: Self.schemaOneFixture).schemaVersion == 1)
  }

  @Test(arguments: baselines + [schemaOneFixture])
  func aCommittedBaselineLoadsAndSurvivesReencoding(path: String) throws {
    let file = try ResultsLoader.load(path: path)
    #expect(file.schemaVersion <= ResultsFile.currentSchemaVersion)
    var reencoded = file
    reencoded.schemaVersion = ResultsFile.currentSchemaVersion
    let again = try ResultsFile.decode(try reencoded.encoded())
    for (old, new) in zip(file.runs, again.runs) {
      for (oldPhase, newPhase) in zip(old.phases, new.phases) {
        for (oldType, newType) in zip(oldPhase.operationTypes, newPhase.operationTypes) {
          guard let oldLatency = oldType.latency, let newLatency = newType.latency else { continue }
          #expect(newLatency.histogram.totalCount == oldLatency.histogram.totalCount)
          #expect(
            newLatency.histogram.ycsbValue(atPercentile: 99)
              == oldLatency.histogram.ycsbValue(atPercentile: 99))
        }
      }
    }
  }

  @Test func histogramsAreBase64V2AndNoUInt64MaxSentinelIsWritten() throws {
    var measurements = OperationMeasurements(recordsIntended: false)
    measurements.record(.read, .ok, nanoseconds: 1234, intendedNanoseconds: 0)
    measurements.record(.update, .notFound, nanoseconds: 99, intendedNanoseconds: 0)
    let record = LatencyRecord(OperationMeasurements.makeHistogram())  // empty: min sentinel inside
    let text = String(decoding: try JSONEncoderFactory.results().encode(record), as: UTF8.self)
    #expect(!text.contains("18446744073709551615"), "\(text)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    let encoded = try #require(object["histogram"] as? String)
    #expect(encoded.hasPrefix("HISTF"))
    let filled = LatencyRecord(measurements.latency[0])
    let decoded = try JSONDecoderFactory.plain().decode(
      LatencyRecord.self, from: try JSONEncoderFactory.results().encode(filled))
    #expect(decoded.histogram.totalCount == 1)
    #expect(decoded.histogram.max == filled.histogram.max)
  }
}
