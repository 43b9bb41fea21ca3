import Histogram
import YCSB

/// One phase in the results file.
public struct PhaseRecord: Codable, Sendable {
  /// `load` or `run`.
  public var name: String
  public var threads: Int
  /// Operations the phase was asked for (`insertcount` or `operationcount`; 0 = time-bounded).
  public var requestedOperations: Int
  /// Measured operations (warm-up excluded).
  public var operations: UInt64
  public var warmupOperations: UInt64
  public var runtimeMilliseconds: Double
  public var throughputOperationsPerSecond: Double
  /// One entry per operation type that ran, in YCSB's order.
  public var operationTypes: [OperationRecord]
  /// Per status interval: throughput and p99.
  public var intervals: [IntervalPoint]
  /// Time spent in the ordered index beside the store (scan workloads only).
  public var orderedIndex: OrderedIndexRecord?
  /// Schema 3: the background checkpoints of the phase (`faster.checkpoint.interval`);
  /// absent when none was taken.
  public var checkpoints: [CheckpointRecord]? = nil

  public init(_ result: PhaseResult) {
    name = result.phase.rawValue
    threads = result.threadCount
    requestedOperations = result.requestedOperations
    operations = result.measurements.operations
    warmupOperations = result.warmupOperations
    runtimeMilliseconds = result.runtimeNanoseconds / 1e6
    throughputOperationsPerSecond = result.throughputOperationsPerSecond
    let measurements = result.measurements
    operationTypes = Operation.allCases.compactMap { operation in
      guard measurements.count(operation) > 0 else { return nil }
      let index = Int(operation.rawValue)
      return OperationRecord(
        name: operation.ycsbName, operations: measurements.count(operation),
        returnCodes: ReturnCodes(
          ok: measurements.count(operation, .ok), notFound: measurements.count(operation, .notFound),
          error: measurements.count(operation, .error)),
        latency: measurements.allLatency(operation).map(LatencyRecord.init),
        intendedLatency: measurements.allLatency(operation, intended: true).map(LatencyRecord.init),
        failedLatency: index < measurements.failedLatency.count
          && measurements.failedLatency[index].totalCount > 0
          ? LatencyRecord(measurements.failedLatency[index]) : nil)
    }
    intervals = result.intervals
    let cost = result.orderedIndexCost
    orderedIndex =
      cost.insertCount + cost.lookupCount > 0
      ? OrderedIndexRecord(cost, nanosecondsPerTick: result.orderedIndexNanosecondsPerTick) : nil
    checkpoints = result.checkpoints.isEmpty ? nil : result.checkpoints
  }
}

/// One operation type of a phase.
public struct OperationRecord: Codable, Sendable {
  /// YCSB's name: `READ`, `UPDATE`, `INSERT`, `SCAN`, `READ-MODIFY-WRITE`.
  public var name: String
  public var operations: UInt64
  public var returnCodes: ReturnCodes
  /// From the actual start (absent with `measurement.interval=intended`).
  public var latency: LatencyRecord?
  /// From the intended start (only when throttled and `measurement.interval` is `intended` or `both`).
  public var intendedLatency: LatencyRecord?
  /// The operations among `latency` that did not return OK (YCSB's `[READ-FAILED]`); absent when
  /// every timed operation returned OK.
  public var failedLatency: LatencyRecord? = nil
}

public struct ReturnCodes: Codable, Sendable, Equatable {
  public var ok: UInt64
  public var notFound: UInt64
  public var error: UInt64
}

/// The ordered index's cost in a scan workload.
public struct OrderedIndexRecord: Codable, Sendable, Equatable {
  public var insertCount: UInt64
  public var insertNanosecondsTotal: Double
  public var insertNanosecondsMean: Double
  public var lookupCount: UInt64
  public var lookupNanosecondsTotal: Double
  public var lookupNanosecondsMean: Double

  init(_ cost: OrderedIndexCost, nanosecondsPerTick: Double) {
    insertCount = cost.insertCount
    insertNanosecondsTotal = Double(cost.insertTicks) * nanosecondsPerTick
    insertNanosecondsMean = cost.insertCount > 0 ? insertNanosecondsTotal / Double(cost.insertCount) : 0
    lookupCount = cost.lookupCount
    lookupNanosecondsTotal = Double(cost.lookupTicks) * nanosecondsPerTick
    lookupNanosecondsMean = cost.lookupCount > 0 ? lookupNanosecondsTotal / Double(cost.lookupCount) : 0
  }
}
