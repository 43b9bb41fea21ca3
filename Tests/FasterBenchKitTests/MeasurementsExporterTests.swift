import Foundation
import Testing

@testable import FasterBenchKit

/// YCSB's `exporter` and `exportfile` properties.
@Suite struct MeasurementsExporterTests {
  static let lines = [
    "[OVERALL], RunTime(ms), 2", "[OVERALL], Throughput(ops/sec), 505000.0", "[READ], Operations, 990",
    "[READ], 99.9PercentileLatency(us), 99.8", "[READ-FAILED], Operations, 10", "[READ], Return=OK, 990",
  ]

  @Test(arguments: [
    ("site.ycsb.measurements.exporter.JSONArrayMeasurementsExporter", MeasurementsExporter.jsonArray),
    ("com.yahoo.ycsb.measurements.exporter.JSONMeasurementsExporter", .json),
    ("TextMeasurementsExporter", .text),
  ])
  func exporterClassNamesAreAccepted(name: String, exporter: MeasurementsExporter) throws {
    let configuration = try TestSupport.configuration(
      workloads: [TestSupport.workload("workloada")], overrides: ["exporter=\(name)"])
    #expect(configuration.runner.exporter == exporter)
    #expect(configuration.warnings.isEmpty)
  }

  @Test func anUnknownExporterNamesTheAcceptedOnes() {
    #expect {
      _ = try TestSupport.configuration(
        workloads: [TestSupport.workload("workloada")], overrides: ["exporter=site.ycsb.XmlExporter"])
    } throws: { error in
      "\(error)".contains("JSONArrayMeasurementsExporter")
    }
  }

  @Test func jsonArrayIsOneArrayOfMetricMeasurementValue() throws {
    let text = MeasurementsExporter.jsonArray.render(Self.lines)
    let array = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
    #expect(array.count == Self.lines.count)
    #expect(array[2]["metric"] as? String == "READ")
    #expect(array[2]["measurement"] as? String == "Operations")
    #expect(array[2]["value"] as? Double == 990)
    #expect(array[4]["metric"] as? String == "READ-FAILED")
  }

  @Test func jsonIsObjectsOneAfterAnother() throws {
    let text = MeasurementsExporter.json.render(Self.lines)
    #expect(!text.hasPrefix("["))
    let asArray = "[" + text.replacingOccurrences(of: "} {", with: "},{") + "]"
    let array = try #require(try JSONSerialization.jsonObject(with: Data(asArray.utf8)) as? [[String: Any]])
    #expect(array.count == Self.lines.count)
    #expect(array[3]["measurement"] as? String == "99.9PercentileLatency(us)")
  }

  @Test func textIsTheReportItself() {
    #expect(MeasurementsExporter.text.render(Self.lines) == Self.lines.joined(separator: "\n") + "\n")
  }

  @Test(.enabled(if: CommandLineTests.executable != nil, "the fasterbench executable is not built"))
  func exportFileReceivesTheReport() throws {
    let path = try TestSupport.temporaryDirectory().appendingPathComponent("export.json").path
    let result = try FasterbenchProcess.run([
      "run", "dictionary", "-P", TestSupport.workload("workloada"), "-p", "recordcount=100", "-p",
      "operationcount=100", "-p", "exporter=site.ycsb.measurements.exporter.JSONArrayMeasurementsExporter",
      "-p", "exportfile=\(path)",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(!result.stdout.contains("[OVERALL]"))
    let array = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [[String: Any]]
    )
    #expect(
      array.contains { $0["metric"] as? String == "OVERALL" && $0["measurement"] as? String == "RunTime(ms)" }
    )
  }
}
