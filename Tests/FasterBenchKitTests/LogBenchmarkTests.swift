import FasterCore
import FasterTestSupport
import Foundation
import Testing

@testable import FasterBenchKit

/// The FasterLog workload runs and counts, and its policy names parse.
@Suite struct LogBenchmarkTests {
  @Test func policyNamesParse() {
    #expect(LogBenchmark.parsePolicy("manual") == .manual)
    #expect(LogBenchmark.parsePolicy("page") == .onPageFull)
    #expect(LogBenchmark.parsePolicy("bytes:4096") == .everyBytes(4096))
    #expect(LogBenchmark.parsePolicy("ms:5") == .everyMilliseconds(5))
    #expect(LogBenchmark.parsePolicy("ms:0") == nil)
    #expect(LogBenchmark.parsePolicy("sometimes") == nil)
  }

  @Test(arguments: ["manual", "ms:2"])
  func aShortRunAppendsAndCommits(policy: String) throws {
    let directory = NSTemporaryDirectory() + "fasterbench-log-test-\(getpid())-\(policy)"
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var benchmark = LogBenchmark(directory: directory)
    benchmark.seconds = 0.2
    benchmark.device = .file
    benchmark.commitPolicy = LogBenchmark.parsePolicy(policy)!
    benchmark.log = HybridLogSettings(pageSizeBytes: 1 << 16, memoryBytes: 1 << 20)
    let result = try benchmark.run()
    #expect(result.appends > 0)
    #expect(result.commits > 0)
    #expect(result.text.contains("appends/s"))
  }
}
