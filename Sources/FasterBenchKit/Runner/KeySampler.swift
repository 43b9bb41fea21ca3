import YCSB

/// `fasterbench keys`: the key numbers the request chooser draws on thread 0 of a run with the
/// same configuration and seed, so a user can inspect or plot the distribution.
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
      seed: BenchmarkRunner<NoOpBinding>.generatorSeed(configuration.runner.seed, phase: .run), threadIndex: 0)
    for _ in 0..<count { emit(String(generator.nextKeyNumber())) }
  }
}
