import Foundation
import Testing

@testable import FasterBenchKit

/// Inputs the fuzz targets (Fuzz/, scripts/fuzz.sh) found crashing a parser, kept as
/// regression tests: each must now end in a clear error, never an abort.
@Suite struct FuzzFindingsTests {
  /// fuzz-workload-file: a table header that does not start with a key made the toml++
  /// parser inside TOMLKit assert and abort the process (release builds too). The first is
  /// the fuzzer's input (`[`, newline, `!:`); the others are the same defect's other shapes.
  @Test(arguments: ["[\n!:", "[[[1]]]", "[[=", "[ =\n", "a = 1\n  [\t!x]\n", "[[\n"])
  func aTableHeaderWithoutAKeyIsAParseError(text: String) {
    #expect {
      _ = try ConfigurationFile.parse(text, source: "fuzzed.toml")
    } throws: { error in
      let description = (error as? ConfigurationError)?.description ?? ""
      return description.contains("fuzzed.toml") && description.contains("table header")
    }
  }

  /// What the header check must leave alone: headers with quoted keys, brackets inside
  /// strings and multi-line strings, and comments.
  @Test func validTablesStillParse() throws {
    let properties = try ConfigurationFile.parse(
      """
      # [not a header
      note = \"\"\"
      [
      \"\"\"
      other = '[='
      [ "faster" . log ]
      memory = "2g"
      """, source: "valid.toml")
    #expect(properties["faster.log.memory"] == "2g")
    #expect(properties["note"] == "[\n")
  }

  /// The same input through the command line: an exit status and a message, not SIGABRT.
  @Test func fasterbenchRejectsTheFuzzedConfigFile() throws {
    let directory = try TestSupport.temporaryDirectory()
    let path = directory.appendingPathComponent("fuzzed.toml").path
    try Data("[\n!:".utf8).write(to: URL(fileURLWithPath: path))
    let result = try FasterbenchProcess.run([
      "run", "dictionary", "-P", TestSupport.workload("workloada"), "--config", path, "-p", "recordcount=10",
    ])
    #expect(result.status != 0 && result.status < 128, "status \(result.status): \(result.stderr)")
    #expect(result.stderr.contains("table header"), "\(result.stderr)")
  }
}
