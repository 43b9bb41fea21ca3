/// Opens the binding a command names and runs the benchmark on it, specialised per binding type
/// (one `switch` here, no existential anywhere below).
public enum BindingCatalog {
  /// - Throws: ``BindingError`` when the store cannot be opened or a phase cannot run.
  public static func execute(
    _ kind: BindingKind, command: PhaseKind, configuration: BenchmarkConfiguration,
    output: Benchmark.Output = .standard, harnessOperations: Int = 200_000
  ) throws(BindingError) -> RunRecord {
    let expected = configuration.expectedRecordCount
    let shape = RecordShape(workload: configuration.workload, mode: configuration.knobs.record)
    func execute<Binding: KeyValueBinding>(_ binding: Binding) throws(BindingError) -> RunRecord {
      try Benchmark.execute(
        command, binding: binding, configuration: configuration, output: output,
        harnessOperations: harnessOperations)
    }
    switch (kind, configuration.knobs.record) {
    case (.dictionary, .compact):
      return try execute(CompactDictionaryBinding(expectedRecordCount: expected))
    case (.dictionary, .ycsb):
      return try execute(RecordDictionaryBinding(shape: shape, expectedRecordCount: expected))
    case (.faster, let mode):
      var (options, derived) = configuration.knobs.fasterKVOptions(
        shape: shape, expectedRecordCount: expected, threadCount: configuration.runner.threadCount)
      let device = try BenchmarkDevice(knobs: configuration.knobs, pageSizeBytes: options.pageSizeBytes)
      defer { device.close() }
      if configuration.knobs.checkpointIntervalSeconds > 0, let logDirectory = device.directory {
        options.checkpointDirectory = try BenchmarkCheckpointDirectory.prepare(
          knobs: configuration.knobs, logDirectory: logDirectory)
      }
      let waitForPending = configuration.knobs.waitForPending
      if mode == .compact {
        return try execute(
          FasterCompactBinding(
            options: options, device: device, waitForPending: waitForPending, derivedKnobs: derived,
            batchCapacity: configuration.knobs.batchSize))
      }
      return try execute(
        FasterRecordBinding(
          shape: shape, options: options, device: device, waitForPending: waitForPending,
          derivedKnobs: derived))
    case (.noop, _):
      return try execute(NoOpBinding())
    case (.rocksdb, _):
      return try execute(
        RocksDBBinding(
          shape: shape, knobs: configuration.rocksDB, threadCount: configuration.runner.threadCount))
    case (.lmdb, _):
      return try execute(
        LMDBBinding(
          shape: shape, knobs: configuration.lmdb, expectedRecordCount: expected,
          threadCount: configuration.runner.threadCount))
    }
  }
}
