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

  /// `keys --operations`: the operations thread 0 of a one-thread run performs, one per line —
  /// `READ 123`, `INSERT 1000` (the new key, acknowledged at once so `latest` follows it, as in
  /// workload D), `SCAN 42 17` (start key and length, as in workload E). The generator draws in
  /// the worker loop's order (operation, key, field index and field bytes' seed, scan length),
  /// so with the same seed this is the run's own sequence.
  public static func writeOperations(
    configuration: BenchmarkConfiguration, count: Int, _ emit: (String) -> Void
  ) {
    let state = WorkloadState(workload: configuration.workload)
    var generator = ThreadGenerator(
      workload: configuration.workload, shared: state,
      seed: BenchmarkRunner<NoOpBinding>.generatorSeed(configuration.runner.seed, phase: .run), threadIndex: 0
    )
    let compact = configuration.knobs.record == .compact
    let writeAllFields = configuration.workload.writeAllFields
    for _ in 0..<count {
      let operation = generator.nextOperation()
      switch operation {
      case .insert:
        let keyNumber = generator.nextInsertKeyNumber()
        _ = generator.nextRandom()  // the value (compact) or the field bytes' seed (ycsb)
        generator.acknowledgeInsert(keyNumber)
        emit("INSERT \(keyNumber)")
      case .scan:
        let keyNumber = generator.nextKeyNumber()
        emit("SCAN \(keyNumber) \(generator.nextScanLength())")
      case .read:
        emit("READ \(generator.nextKeyNumber())")
      case .update, .readModifyWrite:
        let keyNumber = generator.nextKeyNumber()
        if !compact && !writeAllFields { _ = generator.nextFieldIndex() }
        _ = generator.nextRandom()
        emit("\(operation.ycsbName) \(keyNumber)")
      }
    }
  }
}
