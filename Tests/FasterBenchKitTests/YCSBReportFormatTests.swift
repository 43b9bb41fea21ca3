import Foundation
import Testing

/// The built binary's report, line by line, against the format YCSB 0.17 documents and prints
/// (`/work/shared/docs/ycsb-spec.md`): `[SECTION], Metric, number`, sections `OVERALL`, an
/// operation, `<operation>-FAILED` or `Intended-<operation>`, percentile names with English
/// ordinals for integers and none for fractions.
@Suite struct YCSBReportFormatTests {
  func matchesYCSBForm(_ line: String) -> Bool {
    let form =
      /^\[(OVERALL|(Intended-)?(READ|UPDATE|INSERT|SCAN|READ-MODIFY-WRITE)(-FAILED)?)\], (RunTime\(ms\)|Throughput\(ops\/sec\)|Operations|AverageLatency\(us\)|MinLatency\(us\)|MaxLatency\(us\)|[0-9]+(st|nd|rd|th)PercentileLatency\(us\)|[0-9]+\.[0-9]+PercentileLatency\(us\)|Return=(OK|NOT_FOUND|ERROR)), -?[0-9]+(\.[0-9]+)?(E-?[0-9]+)?$/
    return line.wholeMatch(of: form) != nil
  }

  @Test(.enabled(if: CommandLineTests.executable != nil, "the fasterbench executable is not built"))
  func everyReportLineHasYCSBsForm() throws {
    let result = try FasterbenchProcess.run([
      "run", "dictionary", "-P", TestSupport.workload("workloada"), "-p", "recordcount=300", "-p",
      "operationcount=2000", "-p", "hdrhistogram.percentiles=1,2,3,21,22,50,99.9,100", "-target", "200000",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
    #expect(!lines.isEmpty)
    for line in lines {
      #expect(matchesYCSBForm(line), "not YCSB's form: \(line)")
    }
    for name in ["1st", "2nd", "3rd", "21st", "22nd", "50th", "99.9", "100th"] {
      #expect(lines.contains { $0.hasPrefix("[READ], \(name)PercentileLatency(us), ") }, "\(name)")
    }
    let report = ParsedReport(lines)
    #expect(report["READ", "100thPercentileLatency(us)"] == report["READ", "MaxLatency(us)"])
    #expect(report["Intended-READ", "Operations"] != nil)
  }
}
