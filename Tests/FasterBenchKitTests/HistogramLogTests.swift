import Foundation
import Testing

@testable import FasterBenchKit

/// `hdrhistogram.fileoutput=true`: YCSB's per-measurement `.hdr` interval logs.
@Suite struct HistogramLogTests {
  @Test func aRunWritesOneIntervalLogPerMeasurement() throws {
    let directory = try TestSupport.temporaryDirectory().path + "/"
    let configuration = try TestSupport.configuration(
      workloads: [TestSupport.workload("workloada")],
      overrides: [
        "recordcount=500", "operationcount=3000", "seed=3", "hdrhistogram.fileoutput=true",
        "hdrhistogram.output.path=\(directory)",
      ])
    let capture = TestSupport.Capture()
    let record = try BindingCatalog.execute(
      .dictionary, command: .run, configuration: configuration, output: capture.output,
      harnessOperations: 1000)
    for operation in record.phases[1].operationTypes {
      let text = try String(contentsOfFile: directory + operation.name + ".hdr", encoding: .utf8)
      let lines = text.split(separator: "\n")
      #expect(lines[0] == "#[Histogram log format version 1.2]")
      #expect(lines[1].hasPrefix("#[StartTime: "))
      #expect(
        lines[2]
          == "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"")
      var total: UInt64 = 0
      for line in lines.dropFirst(3) {
        let fields = line.split(separator: ",")
        #expect(fields.count == 4)
        total += try HistogramV2Codec.decode(base64: String(fields[3])).totalCount
      }
      #expect(total == operation.returnCodes.ok, "\(operation.name)")
    }
  }

  @Test func aMalformedSwitchIsAnError() {
    #expect(throws: ConfigurationError.self) {
      _ = try TestSupport.configuration(
        workloads: [TestSupport.workload("workloada")], overrides: ["hdrhistogram.fileoutput=yes"])
    }
  }
}
