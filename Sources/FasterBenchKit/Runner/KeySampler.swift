import YCSB

/// `fasterbench keys`: key numbers drawn by the workload's request chooser (thread 0's generator,
/// seeded as a run phase is), so a user can inspect or plot the distribution. Only keys are
/// drawn, so the sequence is not the one a run interleaves with operation choices and field bytes.
public enum KeySampler {
  public static func keys(configuration: BenchmarkConfiguration, count: Int) -> [UInt64] {
    var keys: [UInt64] = []
    keys.reserveCapacity(count)
    write(configuration: configuration, count: count) { keys.append(UInt64($0)!) }
    return keys
  }

  public static func write(configuration: BenchmarkConfiguration, count: Int, _ emit: (String) -> Void) {
    let state = WorkloadState(workload: configuration.workload)
    var generator = ThreadGenerator(
      workload: configuration.workload, shared: state,
      seed: BenchmarkRunner<NoOpBinding>.generatorSeed(configuration.runner.seed, phase: .run), threadIndex: 0
    )
    for _ in 0..<count { emit(String(generator.nextKeyNumber())) }
  }
}
