import FasterPlatform
import YCSB

/// The harness's own cost per operation: the same worker loop (operation chooser, key generator,
/// field bytes, two clock reads, histogram recording) driving a binding that does nothing, on one
/// thread, for a fixed number of operations. Subtract it from a store's latency to see the store.
public struct HarnessOverhead: Codable, Sendable, Equatable {
  /// Wall time per operation of the no-op run (the fastest of three batches), nanoseconds.
  public var nanosecondsPerOperation: Double
  /// Operations in each no-op batch.
  public var operations: Int
  /// One `CycleClock.now()` read, nanoseconds (median of batches).
  public var clockReadNanoseconds: Double
  /// `rdtsc`, `cntvct` or `clock_gettime`.
  public var clockSource: String
  public var clockTicksPerNanosecond: Double

  /// Measures the overhead of `phase`'s operation mix under `configuration`, without touching
  /// the real store or the real workload state (inserts draw from a private counter).
  public static func measure(
    configuration: BenchmarkConfiguration, phase: PhaseKind, operations: Int = 200_000
  ) -> HarnessOverhead {
    let clock = CycleClock.shared
    let shape = RecordShape(workload: configuration.workload, mode: configuration.knobs.record)
    let runner = configuration.runner
    let plan = WorkerPlan(
      phase: phase, threadIndex: 0, operationQuota: operations,
      loadKeyStart: UInt64(configuration.workload.insertStart), ticksPerOperation: 0,
      recordsActual: runner.measurementInterval.recordsActual,
      recordsIntended: runner.measurementInterval.recordsIntended && runner.targetOperationsPerSecond > 0,
      completePendingInterval: configuration.knobs.completePendingInterval,
      statusIntervalTicks: UInt64.max / 4, warmupTicks: 0, maximumExecutionTicks: .max,
      seed: runner.seed ^ 0x4841_524E_4553_53, writeAllFields: configuration.workload.writeAllFields,
      maximumScanLength: max(1, configuration.workload.maxScanLength),
      latencySampling: runner.latencySampling,
      batchSize: configuration.knobs.batchSize)
    // Three batches, each with fresh state; the fastest is the steady cost (the first also pays
    // page faults on the histograms, and any batch may lose the CPU on a shared machine).
    var best = Double.infinity
    var measured = 0
    let usesStream = phase == .run && runner.pregeneratedOperations > 0
    for _ in 0..<3 {
      let state = WorkloadState(workload: configuration.workload)
      var generator = ThreadGenerator(
        workload: configuration.workload, shared: state, seed: plan.seed, threadIndex: 0)
      let stream =
        usesStream
        ? OperationStream(count: min(operations, runner.pregeneratedOperations), generator: &generator) : nil
      defer { stream?.deallocate() }
      var loop = WorkerLoop(
        worker: NoOpBinding.Worker(), generator: generator, plan: plan, shape: shape, orderedIndex: nil,
        mailbox: IntervalMailbox(recordsActual: plan.recordsActual, recordsIntended: plan.recordsIntended),
        clock: clock, operationStream: stream.map { UnsafeBufferPointer($0.entries) })
      let start = CycleClock.now()
      let outcome = loop.run(startTick: start)
      let elapsed = CycleClock.now() &- start
      measured = Int(outcome.measurements.operations)
      best = min(best, clock.nanoseconds(elapsed) / Double(max(1, measured)))
    }
    return HarnessOverhead(
      nanosecondsPerOperation: best, operations: measured,
      clockReadNanoseconds: clockReadCost(clock), clockSource: clock.source,
      clockTicksPerNanosecond: clock.ticksPerNanosecond)
  }

  /// The median over 9 batches of 100,000 back-to-back clock reads.
  static func clockReadCost(_ clock: CycleClock) -> Double {
    var samples: [Double] = []
    for _ in 0..<9 {
      var sink: UInt64 = 0
      let start = CycleClock.now()
      for _ in 0..<100_000 { sink &+= CycleClock.now() }
      let elapsed = CycleClock.now() &- start
      samples.append(clock.nanoseconds(elapsed) / 100_000 + (sink == 1 ? 1e-9 : 0))
    }
    return samples.sorted()[samples.count / 2]
  }
}
