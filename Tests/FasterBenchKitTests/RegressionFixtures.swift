import FasterPlatform
import Foundation
import Testing

@testable import FasterBenchKit

/// Synthetic results for the gate's tests: one real (tiny) run of the dictionary binding as a
/// template, then copies with the figures set by hand.
enum RegressionFixtures {
  /// A run of workload A against the dictionary binding: 100 records, 2,000 operations.
  static let template: RunRecord = {
    let configuration = try! BenchmarkConfiguration(
      sources: .init(
        workloadFiles: [TestSupport.workload("workloada")],
        overrides: ["recordcount=100", "operationcount=2000", "seed=7"]))
    var record = try! BindingCatalog.execute(
      .dictionary, command: .run, configuration: configuration,
      output: RepeatedRuns.quietOutput(status: StatusSink { _ in }),
      harnessOperations: 500)
    record.workload = "workloada"
    return record
  }()

  /// A copy of the template with this throughput and READ p99 (other figures scaled alike).
  static func run(throughput: Double, latencyScale: Double = 1, repetition: Int = 0) -> RunRecord {
    var run = template
    run.repetition = repetition
    let index = run.phases.count - 1
    run.phases[index].throughputOperationsPerSecond = throughput
    for operation in run.phases[index].operationTypes.indices {
      if var latency = run.phases[index].operationTypes[operation].latency {
        latency.nanoseconds.p50 = 500 * latencyScale
        latency.nanoseconds.p99 = 1000 * latencyScale
        latency.nanoseconds.p99_9 = 2000 * latencyScale
        run.phases[index].operationTypes[operation].latency = latency
      }
    }
    run.harnessOverhead.nanosecondsPerOperation = 100
    return run
  }

  /// A file of runs with these throughputs.
  static func file(_ throughputs: [Double], latencyScale: Double = 1) -> ResultsFile {
    ResultsFile(
      runs: throughputs.enumerated().map { run(throughput: $1, latencyScale: latencyScale, repetition: $0) })
  }

  /// `count` draws of a normal distribution (Box–Muller) with this mean and relative spread.
  static func normalSamples(
    count: Int, mean: Double, noiseFraction: Double, using generator: inout SeededGenerator
  ) -> [Double] {
    (0..<count).map { _ in
      let u1 = max(Double(generator.next() >> 11) / Double(1 << 53), 1e-12)
      let u2 = Double(generator.next() >> 11) / Double(1 << 53)
      let z = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
      return mean * (1 + noiseFraction * z)
    }
  }

  static func machine(cpuModel: String = "AMD EPYC", logicalCPUs: Int = 2) -> MachineInfo {
    MachineInfo(
      cpuModel: cpuModel, architecture: "x86_64", logicalCPUs: logicalCPUs, usableCPUs: logicalCPUs,
      numaNodes: 1,
      memoryBytes: 1 << 34, kernel: "Linux 6.1", hostname: "test", transparentHugePages: "madvise")
  }
}
