import YCSB

/// One phase's merged measurements, as the reports need them.
public struct PhaseResult: Sendable {
  public var phase: PhaseKind
  public var threadCount: Int
  /// From the end of warm-up to the end of the last thread's last operation.
  public var runtimeNanoseconds: Double
  /// All threads' measurements merged.
  public var measurements: OperationMeasurements
  /// Operations performed during warm-up (not measured).
  public var warmupOperations: UInt64
  /// One point per status interval (the last may be shorter).
  public var intervals: [IntervalPoint]
  /// Time spent in the ordered index (workload E), converted to nanoseconds.
  public var orderedIndexCost: OrderedIndexCost
  public var orderedIndexNanosecondsPerTick: Double
  /// Operations the phase was asked for (0 = time-bounded only).
  public var requestedOperations: Int
  /// The signal (SIGINT, SIGTERM, SIGHUP) that stopped the phase early, if any.
  public var interruptedBy: Int32? = nil
  /// The per-interval histograms (`hdrhistogram.fileoutput=true`), or nil.
  public var histogramLog: HistogramLog? = nil
  /// True when errors beyond `maxerrorrate` stopped the (load) phase early.
  public var stoppedForErrors = false
  /// The background checkpoints taken during the phase (`faster.checkpoint.interval`).
  public var checkpoints: [CheckpointRecord] = []
  /// Why a background checkpoint failed (the checkpointer stopped there).
  public var checkpointFailure: String? = nil

  /// Measured operations per second.
  public var throughputOperationsPerSecond: Double {
    runtimeNanoseconds > 0 ? Double(measurements.operations) / (runtimeNanoseconds / 1e9) : 0
  }
}

/// One status interval of a phase: its throughput and tail latency.
public struct IntervalPoint: Sendable, Codable, Equatable {
  /// Seconds from the start of measurement to the end of the interval.
  public var endSeconds: Double
  public var durationSeconds: Double
  public var operations: UInt64
  public var operationsPerSecond: Double
  /// 99th percentile of all operations that ended in the interval, nanoseconds (0 if none).
  public var latencyNanosecondsP99: UInt64
  /// Bytes of the log on the device at the end of the interval (disk tier only).
  public var deviceLogBytes: UInt64? = nil
}
