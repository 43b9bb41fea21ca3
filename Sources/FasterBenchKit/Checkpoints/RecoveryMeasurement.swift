import FasterCore
import FasterPlatform
import Foundation

/// `fasterbench recover`: loads the workload's records into the engine on a real device,
/// takes a full checkpoint (`faster.checkpoint.kind`, with the index), drops the store,
/// drops its files from the page cache, then times recovery to a usable store (the first
/// successful read of a recovered key) and compares it with the device's sequential read
/// speed over the same files, measured right after (``SequentialReadProbe``).
public enum RecoveryMeasurement {
  /// Runs the measurement and returns its record (command `recover`, the load phase, and
  /// ``RecoveryRecord``); prints the report lines through `output.report`.
  ///
  /// - Throws: ``BindingError`` when the store cannot be loaded, checkpointed or recovered,
  ///   or a recovered key is missing.
  public static func execute(configuration: BenchmarkConfiguration, output: Benchmark.Output = .standard)
    throws(BindingError) -> RunRecord
  {
    guard let kind = configuration.knobs.device, kind != .null else {
      throw BindingError(
        "recover needs a device that keeps its data: set faster.device=uring or faster.device=file")
    }
    var configuration = configuration
    var temporaryDirectory: String? = nil
    if configuration.knobs.path == nil {
      // The log must outlive the first store: a directory of our own, removed at the end.
      let directory =
        NSTemporaryDirectory() + "fasterbench-recover-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
      configuration.knobs.path = directory
      temporaryDirectory = directory
    }
    defer { if let temporaryDirectory { try? FileManager.default.removeItem(atPath: temporaryDirectory) } }
    let shape = RecordShape(workload: configuration.workload, mode: configuration.knobs.record)
    var (options, _) = configuration.knobs.fasterKVOptions(
      shape: shape, expectedRecordCount: configuration.expectedRecordCount,
      threadCount: configuration.runner.threadCount)
    let logDirectory = configuration.knobs.path!
    do {
      try AtomicFileWriter.createDirectory(logDirectory)
    } catch {
      throw BindingError("the log directory (faster.path): \(error.description)")
    }
    options.checkpointDirectory = try BenchmarkCheckpointDirectory.prepare(
      knobs: configuration.knobs, logDirectory: logDirectory)
    let frozenOptions = options
    let frozenConfiguration = configuration
    switch configuration.knobs.record {
    case .compact:
      return try measure(configuration: frozenConfiguration, options: frozenOptions, output: output) {
        device, recovering throws(BindingError) in
        try FasterCompactBinding(
          options: frozenOptions, device: device, waitForPending: true, recovering: recovering)
      }
    case .ycsb:
      return try measure(configuration: frozenConfiguration, options: frozenOptions, output: output) {
        device, recovering throws(BindingError) in
        try FasterRecordBinding(
          shape: shape, options: frozenOptions, device: device, waitForPending: true, recovering: recovering)
      }
    }
  }

  /// The keys read back after the timed read: the first loaded key and up to this many more.
  static let keysToCheck = 1000

  private static func measure<Binding: KeyValueBinding>(
    configuration: BenchmarkConfiguration, options: FasterKVOptions, output: Benchmark.Output,
    open: (BenchmarkDevice, Bool) throws(BindingError) -> Binding
  ) throws(BindingError) -> RunRecord {
    let knobs = configuration.knobs
    let build = BuildInfo.current()
    // 1. Load and checkpoint; the store, its runner and device are gone when this returns.
    let (loadRecord, info) = try loadAndCheckpoint(
      configuration: configuration, options: options, output: output, open: open)
    // 2. The files' cached pages go too.
    let directories = [knobs.path!, options.checkpointDirectory!]
    let files = SequentialReadProbe.files(under: directories)
    let dropped = SequentialReadProbe.dropFromPageCache(files)

    // 3. Timed: open the device, recover, read a recovered key.
    let firstKey = configuration.workload.loadKeyNumbers(threadIndex: 0, threadCount: 1).lowerBound
    let start = monotonicNanoseconds()
    let recoveredDevice = try BenchmarkDevice(knobs: knobs, pageSizeBytes: options.pageSizeBytes)
    defer { recoveredDevice.close() }
    let recovered = try open(recoveredDevice, true)
    var worker = try recovered.makeWorker(threadIndex: 0)
    let firstStatus = worker.read(firstKey)
    let recoveryNanoseconds = monotonicNanoseconds() - start
    guard firstStatus == .ok else {
      worker.close()
      throw BindingError(
        "recover: the recovered store returned \(firstStatus) for key \(firstKey), which was loaded")
    }
    // Untimed: a spread of loaded keys must all be there.
    let count = UInt64(configuration.workload.insertCount)
    let checks = Int(min(count, UInt64(keysToCheck)))
    var found = 0
    for index in 0..<checks {
      let key = firstKey &+ UInt64(index) &* max(1, count / UInt64(max(1, checks)))
      if worker.read(key) == .ok { found += 1 }
    }
    worker.close()
    guard found == checks else {
      throw BindingError("recover: only \(found) of \(checks) loaded keys read back from the recovered store")
    }
    let report = recovered.recoveryReport
    // 4. The device's sequential read speed over the same files, from a cold cache.
    SequentialReadProbe.dropFromPageCache(files)
    let sequential = try SequentialReadProbe.measure(files)

    let recoverySeconds = Double(recoveryNanoseconds) / 1e9
    let bytesRead = report?.bytesRead ?? 0
    let sequentialSeconds =
      sequential.megabytesPerSecond > 0 ? Double(bytesRead) / 1e6 / sequential.megabytesPerSecond : 0
    let record = RecoveryRecord(
      records: loadRecord.operations, checkpointKind: info.kind.rawValue,
      checkpointToken: info.token.description, checkpointSeconds: Double(info.durationNanoseconds) / 1e9,
      checkpointBytesWritten: info.bytesWritten, pageCacheDropped: dropped, recoverySeconds: recoverySeconds,
      engineRecoverySeconds: Double(report?.durationNanoseconds ?? 0) / 1e9, bytesRead: bytesRead,
      megabytesPerSecond: recoverySeconds > 0 ? Double(bytesRead) / 1e6 / recoverySeconds : 0,
      recordsReplayed: report?.recordsReplayed ?? 0, keysChecked: checks, keysFound: found,
      sequentialRead: sequential, sequentialSecondsForBytesRead: sequentialSeconds,
      ratioToSequentialRead: sequentialSeconds > 0 ? recoverySeconds / sequentialSeconds : 0)
    for line in reportLines(record) { output.report(line) }

    let settings = configuration.runner
    var properties: [String: String] = [:]
    for name in configuration.properties.names { properties[name] = configuration.properties[name] }
    var run = RunRecord(
      command: "recover", binding: "faster", recordMode: knobs.record.rawValue, seed: settings.seed,
      seedWasGiven: settings.seedWasGiven, threads: settings.threadCount, targetOperationsPerSecond: 0,
      warmupSeconds: 0, maxExecutionTimeSeconds: 0, statusIntervalSeconds: settings.statusIntervalSeconds,
      measurementInterval: settings.measurementInterval.rawValue, machine: MachineInfo.current(),
      build: build,
      properties: properties, knobs: KnobsRecord(knobs),
      harnessOverhead: HarnessOverhead(
        nanosecondsPerOperation: 0, operations: 0, clockReadNanoseconds: 0, clockSource: "none",
        clockTicksPerNanosecond: 0),
      phases: [loadRecord], storeStatistics: recovered.statistics(), warnings: configuration.warnings)
    run.recovery = record
    return run
  }

  private static func loadAndCheckpoint<Binding: KeyValueBinding>(
    configuration: BenchmarkConfiguration, options: FasterKVOptions, output: Benchmark.Output,
    open: (BenchmarkDevice, Bool) throws(BindingError) -> Binding
  ) throws(BindingError) -> (PhaseRecord, CheckpointInfo) {
    let knobs = configuration.knobs
    let device = try BenchmarkDevice(knobs: knobs, pageSizeBytes: options.pageSizeBytes)
    defer { device.close() }
    let binding = try open(device, false)
    output.status.write(
      "fasterbench: recover: loading \(configuration.workload.insertCount) records, then a \(knobs.checkpointKind.rawValue) checkpoint"
    )
    let runner = try BenchmarkRunner(binding: binding, configuration: configuration, status: output.status)
    let load = try runner.runPhase(.load, honoringTimeBound: false)
    let loadRecord = PhaseRecord(load)
    if let errors = RunErrorSummary.summarize(
      phases: [loadRecord], firstError: binding.firstErrorDescription(), allowedErrorRate: 0,
      stoppedEarly: false)
    {
      throw BindingError("recover: the load failed: \(errors.message)")
    }
    let info = try binding.checkpoint(CheckpointRequest(kind: knobs.checkpointKind, includeIndex: true))
    output.status.write(
      "fasterbench: recover: checkpoint \(info.token) written in "
        + "\(LatencyFormat.twoDecimals(Double(info.durationNanoseconds) / 1e6)) ms; dropping the store")
    return (loadRecord, info)
  }

  /// The text report: YCSB-style `[SECTION], name, value` lines.
  static func reportLines(_ record: RecoveryRecord) -> [String] {
    func seconds(_ value: Double) -> String { String(format: "%.3f", value) }
    func rate(_ value: Double) -> String { String(format: "%.1f", value) }
    return [
      "[RECOVERY], Records, \(record.records)",
      "[RECOVERY], Checkpoint, \(record.checkpointKind) with index",
      "[RECOVERY], CheckpointSeconds, \(seconds(record.checkpointSeconds))",
      "[RECOVERY], CheckpointBytesWritten, \(record.checkpointBytesWritten)",
      "[RECOVERY], PageCacheDropped, \(record.pageCacheDropped)",
      "[RECOVERY], RecoverySeconds(first read), \(seconds(record.recoverySeconds))",
      "[RECOVERY], EngineRecoverySeconds, \(seconds(record.engineRecoverySeconds))",
      "[RECOVERY], BytesRead, \(record.bytesRead)",
      "[RECOVERY], MB/s, \(rate(record.megabytesPerSecond))",
      "[RECOVERY], RecordsReplayed, \(record.recordsReplayed)",
      "[RECOVERY], KeysChecked, \(record.keysFound) of \(record.keysChecked) found",
      "[SEQUENTIAL-READ], Method, \(record.sequentialRead.method)",
      "[SEQUENTIAL-READ], Files, \(record.sequentialRead.files)",
      "[SEQUENTIAL-READ], Bytes, \(record.sequentialRead.bytes)",
      "[SEQUENTIAL-READ], MB/s, \(rate(record.sequentialRead.megabytesPerSecond))",
      "[RECOVERY], SequentialSecondsForBytesRead, \(seconds(record.sequentialSecondsForBytesRead))",
      "[RECOVERY], RatioToSequentialRead, \(String(format: "%.2f", record.ratioToSequentialRead))",
    ]
  }
}
