import Foundation
import Testing
import YCSB

@testable import FasterBenchKit

/// `--metrics-file` and `fasterbench textfile`: Prometheus text that parses, with the run's
/// and the engine's figures matching the results record.
@Suite struct MetricsTextfileTests {
  @Test func theParserRejectsWhatPromtoolRejects() throws {
    let good =
      "# HELP a_total help text\n# TYPE a_total counter\na_total{x=\"q\\\"uote\",y=\"2\"} 3\nb 1e-3\nc +Inf\n"
    let parsed = try PrometheusExposition(good)
    #expect(parsed.values("a_total", ["x": "q\"uote"]) == [3])
    #expect(parsed.values("b") == [0.001])
    for bad in [
      "a 1", "1a 2\n", "a{x=1} 2\n", "a{x=\"1\"} two\n", "a 1\nb 2\na 3\n", "a 1\na 2\n",
      "# TYPE a counter\n# TYPE a gauge\na 1\n", "a 1\n# TYPE a gauge\n", "# TYPE a fancy\na 1\n",
    ] {
      #expect(throws: PrometheusExposition.FormatError.self, "\(bad)") { try PrometheusExposition(bad) }
    }
  }

  @Test func aRunWritesTheRunsAndTheEnginesFigures() throws {
    let path = try TestSupport.temporaryDirectory().appendingPathComponent("run.prom").path
    let configuration = try TestSupport.configuration(
      workloads: [TestSupport.workload("faster-a-uniform")],
      overrides: [
        "recordcount=5000", "operationcount=20000", "maxexecutiontime=0", "threadcount=2", "seed=3",
        "status.interval=0.1", "faster.index.size=64k", "faster.log.memory=4m", "faster.log.pagesize=64k",
      ])
    let capture = TestSupport.Capture()
    var output = capture.output
    let file = MetricsTextfile(path: path, binding: "faster", command: "run", workload: "faster-a-uniform")
    output.metricsFile = file
    let record = try BindingCatalog.execute(
      .faster, command: .run, configuration: configuration, output: output, harnessOperations: 1000)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let parsed = try PrometheusExposition(text)

    // Every series carries the run's labels.
    #expect(
      parsed.samples.allSatisfy {
        $0.labels["binding"] == "faster" && $0.labels["workload"] == "faster-a-uniform"
      })
    // Operation counts add up to the phases' operations, per operation and status.
    let load = parsed.values("fasterbench_operations_total", ["phase": "load"]).reduce(0, +)
    #expect(load == 5000)
    let run = parsed.values("fasterbench_operations_total", ["phase": "run"]).reduce(0, +)
    #expect(run == 20000)
    let runPhase = record.phases[1]
    for operation in runPhase.operationTypes {
      #expect(
        parsed.values(
          "fasterbench_operations_total", ["phase": "run", "operation": operation.name, "status": "OK"])
          == [Double(operation.returnCodes.ok)])
    }
    #expect(parsed.types["fasterbench_operations_total"] == "counter")
    #expect(parsed.values("fasterbench_phase_completed", ["phase": "run"]) == [1])
    let throughput = try #require(
      parsed.values("fasterbench_throughput_operations_per_second", ["phase": "run"]).first)
    #expect(abs(throughput - runPhase.throughputOperationsPerSecond) <= 1e-6 * throughput)
    let p99 = try #require(
      parsed.values("fasterbench_latency_seconds", ["phase": "run", "operation": "READ", "quantile": "0.99"])
        .first)
    #expect(p99 > 0 && p99 < 1)
    #expect(parsed.values("fasterbench_harness_overhead_seconds").count == 1)
    // The engine's metrics, through swift-metrics and swift-prometheus's factory.
    let statistics = try #require(record.storeStatistics?["statistics"])
    let used = try #require(parsed.values("faster_log_used_bytes").first)
    let tail = try #require(statistics["tailAddress"]?.doubleValue)
    let begin = try #require(statistics["beginAddress"]?.doubleValue)
    #expect(used == tail - begin)
    #expect(parsed.values("faster_log_address_bytes", ["marker": "tail"]) == [tail])
    #expect(parsed.values("faster_index_size_bytes") == [65536])
    #expect(parsed.values("faster_device_failed") == [0])
    // The engine's own operation counts (its sessions' counters) match the harness's.
    #expect(parsed.types["faster_operations_total"] == "counter")
    #expect(parsed.values("faster_operations_total").reduce(0, +) == load + run)
    #expect(parsed.values("faster_pending_operations_outstanding") == [0])
    #expect(parsed.types["faster_checkpoint_duration_seconds"] == "histogram")
    #expect(capture.statusLines.contains { $0.contains("metrics written to \(path)") })
  }

  @Test func theSmokeTextfileHoldsTheVerdictAndTheMedians() throws {
    let configuration = try TestSupport.configuration(
      workloads: [TestSupport.workload("workloadc")],
      overrides: ["recordcount=1000", "operationcount=5000", "maxexecutiontime=0", "seed=4"])
    var runs: [RunRecord] = []
    for _ in 0..<3 {
      runs.append(
        try BindingCatalog.execute(
          .dictionary, command: .run, configuration: configuration, output: TestSupport.Capture().output,
          harnessOperations: 1000))
    }
    let results = ResultsFile(runs: runs)
    let text = SmokeTextfile.render(results: results, suite: "smoke", exitCode: 2)
    let parsed = try PrometheusExposition(text)
    #expect(parsed.values("fasterbench_smoke_exit_code", ["suite": "smoke"]) == [2])
    #expect(parsed.values("fasterbench_smoke_regression") == [1])
    #expect(parsed.values("fasterbench_smoke_repetitions") == [3])
    let throughputs = runs.map { $0.phases[1].throughputOperationsPerSecond }.sorted()
    #expect(parsed.values("fasterbench_smoke_throughput_operations_per_second") == [throughputs[1]])
    let p99s = runs.compactMap { $0.phases[1].operationTypes.first?.latency?.nanoseconds.p99 }.sorted()
    #expect(parsed.values("fasterbench_smoke_latency_p99_seconds", ["operation": "READ"]) == [p99s[1] / 1e9])
    let info = try #require(parsed.samples.first { $0.name == "fasterbench_smoke_info" })
    #expect(info.labels["profile"] == runs[0].machine.profileName)
    #expect(info.labels["commit"] != nil)
    #expect(
      try PrometheusExposition(SmokeTextfile.render(results: results, suite: "smoke", exitCode: 0))
        .values("fasterbench_smoke_regression") == [0])
  }

  @Test(.enabled(if: CommandLineTests.executable != nil, "the fasterbench executable is not built"))
  func anUnwritableMetricsFileFailsBeforeTheRun() throws {
    let result = try FasterbenchProcess.run([
      "run", "dictionary", "-P", TestSupport.workload("workloada"), "-p", "recordcount=100",
      "--metrics-file", "/proc/no-such-dir/run.prom",
    ])
    #expect(result.status == 73, "\(result.stderr)")
    #expect(result.stderr.contains("--metrics-file"), "\(result.stderr)")
    #expect(result.stderr.contains("/proc/no-such-dir"), "\(result.stderr)")
    #expect(!result.stderr.contains("Loading workload"), "failed before the run: \(result.stderr)")
  }
}
