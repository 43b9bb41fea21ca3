import Foundation
import Testing

/// Runs the built `fasterbench` executable (next to the test bundle in the build folder) the way a
/// user would, on bad input: a clear message and a non-zero exit, no stack trace.
@Suite struct CommandLineTests {
  static let executable: URL? = {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = directory.appendingPathComponent("fasterbench")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      directory = directory.deletingLastPathComponent()
    }
    return nil
  }()

  func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    guard let executable = Self.executable else { throw CancellationError() }
    process.executableURL = executable
    process.arguments = arguments
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    let outData = output.fileHandleForReading.readDataToEndOfFile()
    let errData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
      process.terminationStatus, String(decoding: outData, as: UTF8.self),
      String(decoding: errData, as: UTF8.self)
    )
  }

  @Test(.enabled(if: executable != nil, "the fasterbench executable is not built"))
  func unknownKnobExitsNonZeroNamingIt() throws {
    let result = try run([
      "run", "dictionary", "-P", TestSupport.workload("workloada"), "-p", "faster.log.memroy=2g",
    ])
    #expect(result.status != 0)
    #expect(result.stderr.contains("faster.log.memroy"))
    #expect(!result.stderr.contains("Stack dump"))
  }

  @Test(.enabled(if: executable != nil, "the fasterbench executable is not built"))
  func missingWorkloadFileExitsNonZero() throws {
    let result = try run(["load", "dictionary", "-P", "/nonexistent/workloadq"])
    #expect(result.status != 0)
    #expect(result.stderr.contains("/nonexistent/workloadq"))
  }

  @Test(.enabled(if: executable != nil, "the fasterbench executable is not built"))
  func badWorkloadValueExitsNonZero() throws {
    let workload = try TestSupport.writeFile("recordcount=10\nrequestdistribution=gaussian\n")
    let result = try run(["run", "dictionary", "-P", workload, "-threads", "2"])
    #expect(result.status != 0)
    #expect(result.stderr.contains("requestdistribution"))
  }

  @Test(.enabled(if: executable != nil, "the fasterbench executable is not built"))
  func unknownBindingExitsNonZero() throws {
    let result = try run(["run", "cassandra", "-P", TestSupport.workload("workloada")])
    #expect(result.status != 0)
    #expect(result.stderr.contains("cassandra"))
  }

  @Test(.enabled(if: executable != nil, "the fasterbench executable is not built"))
  func aSmallRunWithYCSBSpelledOptionsSucceeds() throws {
    let result = try run([
      "run", "dictionary", "-P", TestSupport.workload("workloadb"), "-p", "recordcount=200", "-p",
      "operationcount=300", "-threads", "2", "-target", "100000", "-s", "--seed", "1",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("[OVERALL], Throughput(ops/sec), "))
    #expect(result.stdout.contains("[Intended-READ], Operations, "))
  }

  @Test(.enabled(if: executable != nil, "the fasterbench executable is not built"))
  func keysPrintsTheChosenKeyNumbers() throws {
    let result = try run([
      "keys", "-P", TestSupport.workload("workloada"), "-p", "recordcount=100", "--count", "50", "--seed",
      "3",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let keys = result.stdout.split(separator: "\n").compactMap { UInt64($0) }
    #expect(keys.count == 50)
    #expect(keys.allSatisfy { $0 < 100 })
  }
}
