import FasterPlatform
import Foundation
import Synchronization
import YCSB

/// Runs YCSB phases against one binding: worker threads pinned by the configured policy, one
/// binding worker (engine session) and one ``ThreadGenerator`` per thread, a common start
/// instant, status lines and a time series per interval, per-thread histograms merged at the end.
///
/// The load phase inserts `[insertstart, insertstart + insertcount)`, each thread a contiguous
/// share (the remainder to the first threads). The run phase performs `operationcount`
/// operations split the same way, or runs until `maxexecutiontime` (whichever comes first;
/// `operationcount=0` means time-bounded only). Warm-up applies to the run phase.
///
/// Thread safety: one phase at a time, from one thread.
public final class BenchmarkRunner<Binding: KeyValueBinding>: Sendable {
  public let binding: Binding
  public let configuration: BenchmarkConfiguration
  public let shape: RecordShape
  /// Kept beside the store when the workload scans (scanproportion > 0).
  public let orderedIndex: OrderedKeyIndex?
  let workloadState: WorkloadState
  let status: StatusSink
  /// `--metrics-file`: rewritten at every status interval and at the end of each phase.
  let metricsFile: MetricsTextfile?
  private let metricsFileWarned = Atomic<Bool>(false)
  /// The terminal's progress line (when `-s` status lines are off).
  let progress: ProgressLine?
  let clock: CycleClock
  let topology: NumaTopology
  private let pinningWarned = Atomic<Bool>(false)
  private let runtimeWarningList = ControlLock<[String]>([])

  /// Warnings raised while the phases ran (e.g. pinning failed), for the results file.
  public var runtimeWarnings: [String] { runtimeWarningList.withLock { $0 } }

  public init(
    binding: Binding, configuration: BenchmarkConfiguration, status: StatusSink = .standardError,
    metricsFile: MetricsTextfile? = nil, progress: ProgressLine? = nil
  ) throws(BindingError) {
    self.progress = configuration.runner.printsStatus ? nil : progress
    self.binding = binding
    self.configuration = configuration
    self.status = status
    self.metricsFile = metricsFile
    shape = RecordShape(workload: configuration.workload, mode: configuration.knobs.record)
    if configuration.workload.scanProportion > 0 {
      orderedIndex = OrderedKeyIndex(order: try KeyOrder(shape: shape))
    } else {
      orderedIndex = nil
    }
    workloadState = WorkloadState(workload: configuration.workload)
    clock = CycleClock.shared
    topology = NumaTopology.current()
  }

  /// The seed of thread `threadIndex`'s generator in `phase`: the run phase uses the configured
  /// seed itself (so `keys` and a run with the same seed draw the same keys); the load phase a
  /// derived one, since it draws only field bytes.
  static func generatorSeed(_ seed: UInt64, phase: PhaseKind) -> UInt64 {
    phase == .run ? seed : seed ^ 0x6C6F_6164_5048_4153
  }

  /// Runs one phase to completion.
  ///
  /// `honoringTimeBound`: whether `maxexecutiontime` may stop the phase. The load that
  /// precedes a `run` passes false: a run over a partly loaded store would measure misses.
  ///
  /// - Throws: ``BindingError`` when a worker cannot start (e.g. the engine's session table is
  ///   full) or the phase has no bound (`operationcount=0` and no `maxexecutiontime`).
  /// `checkpointing`: take background checkpoints during the phase when
  /// `faster.checkpoint.interval` asks for them (the measured phase of a command).
  public func runPhase(_ phase: PhaseKind, honoringTimeBound: Bool = true, checkpointing: Bool = false)
    throws(BindingError) -> PhaseResult
  {
    let runner = configuration.runner
    let workload = configuration.workload
    let threads = runner.threadCount
    let timeBounded = honoringTimeBound && runner.maxExecutionTimeSeconds > 0
    let totalOperations = phase == .load ? workload.insertCount : workload.operationCount
    if phase == .run && totalOperations == 0 && !timeBounded {
      throw BindingError(
        "operationcount=0 means an unbounded run: set maxexecutiontime (seconds) or a positive operationcount"
      )
    }
    let unbounded = phase == .run && totalOperations == 0
    let ticksPerSecond = clock.ticksPerNanosecond * 1e9
    let plans = (0..<threads).map { thread -> WorkerPlan in
      let share = CoreWorkload.share(of: totalOperations, thread: thread, threads: threads)
      return WorkerPlan(
        phase: phase, threadIndex: thread,
        operationQuota: unbounded ? Int.max : share,
        loadKeyStart: workload.loadKeyNumbers(threadIndex: thread, threadCount: threads).lowerBound,
        ticksPerOperation: runner.targetOperationsPerSecond > 0
          ? ticksPerSecond * Double(threads) / runner.targetOperationsPerSecond : 0,
        recordsActual: runner.measurementInterval.recordsActual,
        recordsIntended: runner.measurementInterval.recordsIntended && runner.targetOperationsPerSecond > 0,
        completePendingInterval: configuration.knobs.completePendingInterval,
        statusIntervalTicks: max(1, UInt64(runner.statusIntervalSeconds * ticksPerSecond)),
        warmupTicks: phase == .run ? UInt64(runner.warmupSeconds * ticksPerSecond) : 0,
        maximumExecutionTicks: timeBounded ? UInt64(runner.maxExecutionTimeSeconds * ticksPerSecond) : .max,
        seed: Self.generatorSeed(runner.seed, phase: phase),
        writeAllFields: workload.writeAllFields,
        maximumScanLength: workload.scanProportion > 0 ? max(1, workload.maxScanLength) : 1,
        latencySampling: runner.latencySampling,
        maximumErrors: phase == .load ? Int((runner.maximumErrorRate * Double(share)).rounded(.down)) : .max,
        spinTicksPerOperation: UInt64(Double(runner.spinNanosecondsPerOperation) * clock.ticksPerNanosecond),
        batchSize: configuration.knobs.batchSize)
    }
    var checkpointer: BackgroundCheckpointer? = nil
    if checkpointing && configuration.knobs.checkpointIntervalSeconds > 0 {
      guard binding.takesCheckpoints else {
        throw BindingError(
          "faster.checkpoint.interval needs the faster binding with a checkpoint directory; the \(binding.name) binding takes no checkpoints"
        )
      }
      checkpointer = BackgroundCheckpointer(knobs: configuration.knobs, clock: clock) {
        [binding] request throws(BindingError) in try binding.checkpoint(request)
      }
    }
    let control = PhaseControl()
    let mailboxes = plans.map {
      IntervalMailbox(recordsActual: $0.recordsActual, recordsIntended: $0.recordsIntended)
    }
    let outcomes = OutcomeStore()

    for plan in plans {
      do {
        try WorkerThread.start { [self] in
          self.workerThread(
            plan: plan, control: control, mailbox: mailboxes[plan.threadIndex], outcomes: outcomes)
        }
      } catch {
        // Release the threads already started, wait for them to close their sessions, then say
        // what failed and what to change.
        control.abort()
        while control.finishedCount.load(ordering: .acquiring) < plan.threadIndex { Sleep.microseconds(100) }
        throw BindingError(
          "cannot start worker thread \(plan.threadIndex + 1) of \(threads) (\(error.description)): "
            + "lower -threads, or raise the process limits (ulimit -v, ulimit -u)")
      }
    }
    control.waitForArrivals(threads)
    if control.isAborted {
      while control.finishedCount.load(ordering: .acquiring) < threads { Sleep.microseconds(100) }
      let failures = outcomes.list.withLock { $0.compactMap(\.failure) }
      throw BindingError(failures.first ?? "a worker thread failed to start")
    }
    metricsFile?.phaseStarted(phase)
    let startTick = CycleClock.now()
    control.start(atTick: startTick)

    let measureStartTick = startTick &+ plans[0].warmupTicks
    var checkpointStartFailure: String? = nil
    do {
      try checkpointer?.start(originTick: measureStartTick)
    } catch {
      // The workers are running: let the phase finish, the failure fails the run after it.
      checkpointStartFailure = error.description
      checkpointer = nil
    }
    if plans[0].warmupTicks > 0 {
      status.write("fasterbench: warming up for \(runner.warmupSeconds) s (not measured)")
    }
    let statusIntervalTicks = plans[0].statusIntervalTicks
    var cumulativeOperations: UInt64 = 0
    var intervals: [IntervalPoint] = []
    var nextBoundary = measureStartTick &+ statusIntervalTicks
    var histogramLog = runner.histogramLogPrefix != nil ? HistogramLog(start: Date()) : nil
    let graceTicks = UInt64(0.005 * ticksPerSecond)
    while control.finishedCount.load(ordering: .acquiring) < threads {
      let now = CycleClock.now()
      if now >= nextBoundary &+ graceTicks {
        let collected = collect(mailboxes)
        cumulativeOperations &+= collected.operations
        let point = intervalPoint(
          collected, endTick: nextBoundary, durationTicks: statusIntervalTicks,
          measureStartTick: measureStartTick)
        intervals.append(point)
        histogramLog?.append(
          collected, startSeconds: point.endSeconds - point.durationSeconds,
          lengthSeconds: point.durationSeconds)
        if runner.printsStatus {
          status.write(
            StatusLine.render(
              date: Date(), elapsedSeconds: point.endSeconds, totalOperations: cumulativeOperations,
              currentOperationsPerSecond: point.operationsPerSecond,
              remainingOperations: unbounded ? nil : max(0, totalOperations - Int(cumulativeOperations)),
              interval: collected))
        }
        progress?.update(
          ProgressLine.render(
            phase: phase.rawValue, done: cumulativeOperations, total: unbounded ? nil : totalOperations,
            operationsPerSecond: point.operationsPerSecond))
        if let metricsFile {
          metricsFile.intervalEnded(
            phase: phase, elapsedSeconds: point.endSeconds, totalOperations: cumulativeOperations,
            operationsPerSecond: point.operationsPerSecond, interval: collected)
          writeMetricsFile(metricsFile)
        }
        nextBoundary &+= statusIntervalTicks
        continue
      }
      Sleep.microseconds(
        min(10_000, max(100, Int(Double(nextBoundary &+ graceTicks &- now) / ticksPerSecond * 1e6))))
    }

    if !intervals.isEmpty { progress?.finish() }
    let checkpointOutcome = checkpointer?.stop()
    let finished = outcomes.list.withLock { $0 }
    if let failure = finished.compactMap(\.failure).first {
      throw BindingError(failure)
    }
    var merged = OperationMeasurements(
      recordsActual: plans[0].recordsActual, recordsIntended: plans[0].recordsIntended)
    var indexCost = OrderedIndexCost()
    var warmupOperations: UInt64 = 0
    var endTick = measureStartTick
    for outcome in finished {
      merged.add(outcome.measurements)
      indexCost.add(outcome.orderedIndexCost)
      warmupOperations &+= outcome.warmupOperations
      endTick = max(endTick, outcome.endTick)
    }
    let remainder = collect(mailboxes)
    let lastBoundary = nextBoundary &- statusIntervalTicks
    if remainder.operations > 0 || intervals.isEmpty {
      let point = intervalPoint(
        remainder, endTick: max(endTick, lastBoundary &+ 1),
        durationTicks: max(1, endTick &- min(endTick, lastBoundary)),
        measureStartTick: measureStartTick)
      intervals.append(point)
      histogramLog?.append(
        remainder, startSeconds: point.endSeconds - point.durationSeconds,
        lengthSeconds: point.durationSeconds)
    }
    if runner.printsStatus {
      let runtimeSeconds = Double(endTick &- measureStartTick) / ticksPerSecond
      status.write(
        StatusLine.render(
          date: Date(), elapsedSeconds: runtimeSeconds, totalOperations: merged.operations,
          currentOperationsPerSecond: intervals.last?.operationsPerSecond ?? 0, remainingOperations: nil,
          interval: remainder))
    }
    var result = PhaseResult(
      phase: phase, threadCount: threads,
      runtimeNanoseconds: clock.nanoseconds(endTick &- min(endTick, measureStartTick)),
      measurements: merged, warmupOperations: warmupOperations, intervals: intervals,
      orderedIndexCost: indexCost, orderedIndexNanosecondsPerTick: clock.nanosecondsPerTick,
      requestedOperations: totalOperations, interruptedBy: RunInterruption.signal, histogramLog: histogramLog,
      stoppedForErrors: finished.contains(where: \.stoppedForErrors))
    result.checkpoints = checkpointOutcome?.records ?? []
    result.checkpointFailure = checkpointStartFailure ?? checkpointOutcome?.failure
    if let metricsFile {
      metricsFile.phaseEnded(result, remainder: remainder)
      writeMetricsFile(metricsFile)
    }
    return result
  }

  /// Reports the engine's metrics into `file` and rewrites it; a failed write is a warning
  /// (once), not the end of the run: the results file still gets the figures.
  private func writeMetricsFile(_ file: MetricsTextfile) {
    binding.reportMetrics(to: file.storeMetrics)
    do {
      try file.write()
    } catch {
      if !metricsFileWarned.exchange(true, ordering: .relaxed) {
        let warning = "fasterbench: warning: \(error.description); the run goes on without it"
        runtimeWarningList.withLock { $0.append(warning) }
        status.write(warning)
      }
    }
  }

  private func workerThread(
    plan: WorkerPlan, control: PhaseControl, mailbox: IntervalMailbox, outcomes: OutcomeStore
  ) {
    defer { control.finishedCount.add(1, ordering: .releasing) }
    let placement = topology.placement(forWorker: plan.threadIndex, policy: configuration.knobs.pinning)
    do {
      try ThreadPinning.pinCurrentThread(to: placement)
    } catch {
      if !pinningWarned.exchange(true, ordering: .relaxed) {
        let warning = "fasterbench: warning: cannot pin worker threads (\(error)); running unpinned"
        runtimeWarningList.withLock { $0.append(warning) }
        status.write(warning)
      }
    }
    var worker: Binding.Worker
    do {
      worker = try binding.makeWorker(threadIndex: plan.threadIndex)
    } catch {
      outcomes.list.withLock {
        $0.append(
          WorkerOutcome(
            threadIndex: plan.threadIndex,
            measurements: OperationMeasurements(recordsIntended: false), warmupOperations: 0, endTick: 0,
            orderedIndexCost: OrderedIndexCost(), failure: "worker \(plan.threadIndex): \(error.description)")
        )
      }
      control.abort()
      control.arrive()
      return
    }
    var generator = ThreadGenerator(
      workload: configuration.workload, shared: workloadState, seed: plan.seed, threadIndex: plan.threadIndex)
    let pregenerated = configuration.runner.pregeneratedOperations
    let stream =
      plan.phase == .run && pregenerated > 0
      ? OperationStream(count: min(pregenerated, plan.operationQuota), generator: &generator) : nil
    defer { stream?.deallocate() }
    control.arrive()
    guard let startTick = control.waitForStart() else {
      worker.close()
      return
    }
    var loop = WorkerLoop(
      worker: worker, generator: generator, plan: plan, shape: shape, orderedIndex: orderedIndex,
      mailbox: mailbox, clock: clock, operationStream: stream.map { UnsafeBufferPointer($0.entries) })
    let outcome = loop.run(startTick: startTick)
    loop.worker.close()
    outcomes.list.withLock { $0.append(outcome) }
  }

  private func collect(_ mailboxes: [IntervalMailbox]) -> OperationMeasurements {
    var merged: OperationMeasurements? = nil
    for mailbox in mailboxes {
      let taken = mailbox.take()
      if merged == nil { merged = taken } else { merged!.add(taken) }
    }
    return merged!
  }

  private func intervalPoint(
    _ measurements: OperationMeasurements, endTick: UInt64, durationTicks: UInt64, measureStartTick: UInt64
  ) -> IntervalPoint {
    let durationSeconds = clock.nanoseconds(durationTicks) / 1e9
    return IntervalPoint(
      endSeconds: clock.nanoseconds(endTick &- min(endTick, measureStartTick)) / 1e9,
      durationSeconds: durationSeconds,
      operations: measurements.operations,
      operationsPerSecond: durationSeconds > 0 ? Double(measurements.operations) / durationSeconds : 0,
      latencyNanosecondsP99: measurements.operations > 0
        ? measurements.mergedLatency().ycsbValue(atPercentile: 99) : 0,
      deviceLogBytes: binding.deviceLogBytes())
  }
}

/// The worker threads' outcomes of one phase, appended as each thread ends.
final class OutcomeStore: Sendable {
  let list = ControlLock<[WorkerOutcome]>([])
}
