import Histogram
import YCSB

/// One thread's measurements over some span (a status interval, or a whole phase): a latency
/// histogram per operation type (nanoseconds, 3 significant digits), optionally a second one
/// measured from the intended start, return-code counts, and the operation count.
///
/// As in YCSB 0.17, an operation that did not return OK is timed apart, in the `failed`
/// histograms (`[READ-FAILED]` in the report); they are created at the first failure only, so
/// a run without failures carries none.
///
/// Not thread-safe: each worker owns its own and hands copies to others (``IntervalMailbox``).
public struct OperationMeasurements: Sendable {
  /// The largest latency a histogram tracks; longer ones are recorded as this (one hour).
  public static let highestTrackableNanoseconds: UInt64 = 3_600_000_000_000
  static let operationCount = Operation.allCases.count
  static let statusCount = BindingStatus.allCases.count

  /// Latency from the actual start, per `Operation.rawValue`; empty when not recorded.
  public private(set) var latency: [Histogram<UInt64>]
  /// Latency from the intended start (`-target`), per `Operation.rawValue`; empty when not recorded.
  public private(set) var intendedLatency: [Histogram<UInt64>]
  /// Latency of operations that did not return OK, from the actual start; empty until one fails.
  public private(set) var failedLatency: [Histogram<UInt64>] = []
  /// Latency of operations that did not return OK, from the intended start; empty until one fails.
  public private(set) var failedIntendedLatency: [Histogram<UInt64>] = []
  /// Return-code counts at `operation.rawValue * 3 + status.rawValue`.
  public private(set) var returnCodes: [UInt64]
  /// Operations measured (each counted once, whatever its type).
  public private(set) var operations: UInt64 = 0

  public init(recordsActual: Bool = true, recordsIntended: Bool) {
    latency = recordsActual ? (0..<Self.operationCount).map { _ in Self.makeHistogram() } : []
    intendedLatency = recordsIntended ? (0..<Self.operationCount).map { _ in Self.makeHistogram() } : []
    returnCodes = Array(repeating: 0, count: Self.operationCount * Self.statusCount)
  }

  public static func makeHistogram() -> Histogram<UInt64> {
    Histogram<UInt64>(
      lowestDiscernibleValue: 1, highestTrackableValue: highestTrackableNanoseconds,
      numberOfSignificantValueDigits: .three)
  }

  /// Records one operation. Allocation-free.
  @inline(__always)
  mutating func record(
    _ operation: Operation, _ status: BindingStatus, nanoseconds: UInt64, intendedNanoseconds: UInt64
  ) {
    let index = Int(truncatingIfNeeded: operation.rawValue)
    if status == .ok {
      if !latency.isEmpty {
        latency[index].record(min(nanoseconds, Self.highestTrackableNanoseconds))
      }
      if !intendedLatency.isEmpty {
        intendedLatency[index].record(min(intendedNanoseconds, Self.highestTrackableNanoseconds))
      }
    } else {
      recordFailed(index, nanoseconds: nanoseconds, intendedNanoseconds: intendedNanoseconds)
    }
    returnCodes[index &* Self.statusCount &+ Int(truncatingIfNeeded: status.rawValue)] &+= 1
    operations &+= 1
  }

  /// A failed operation's latency: out of line, as failures are rare; the histograms are made at
  /// the first one.
  @inline(never)
  private mutating func recordFailed(_ index: Int, nanoseconds: UInt64, intendedNanoseconds: UInt64) {
    makeFailedHistograms()
    if !failedLatency.isEmpty {
      failedLatency[index].record(min(nanoseconds, Self.highestTrackableNanoseconds))
    }
    if !failedIntendedLatency.isEmpty {
      failedIntendedLatency[index].record(min(intendedNanoseconds, Self.highestTrackableNanoseconds))
    }
  }

  private mutating func makeFailedHistograms() {
    if failedLatency.isEmpty && !latency.isEmpty {
      failedLatency = (0..<Self.operationCount).map { _ in Self.makeHistogram() }
    }
    if failedIntendedLatency.isEmpty && !intendedLatency.isEmpty {
      failedIntendedLatency = (0..<Self.operationCount).map { _ in Self.makeHistogram() }
    }
  }

  /// Whether any timed operation failed (the report then has `-FAILED` sections).
  public var hasFailedLatency: Bool { !failedLatency.isEmpty || !failedIntendedLatency.isEmpty }

  /// Every timed operation of one type, OK or not (`latency` plus `failedLatency`), or nil when
  /// the actual-start latency is not recorded. `intended`: the intended-start histograms.
  public func allLatency(_ operation: Operation, intended: Bool = false) -> Histogram<UInt64>? {
    let index = Int(operation.rawValue)
    let ok = intended ? intendedLatency : latency
    guard index < ok.count else { return nil }
    var merged = ok[index]
    let failed = intended ? failedIntendedLatency : failedLatency
    if index < failed.count { merged.add(failed[index]) }
    return merged
  }

  /// Counts one operation that was not timed (`measurement.sampling`). Allocation-free.
  @inline(__always)
  mutating func recordUntimed(_ operation: Operation, _ status: BindingStatus) {
    let index = Int(truncatingIfNeeded: operation.rawValue)
    returnCodes[index &* Self.statusCount &+ Int(truncatingIfNeeded: status.rawValue)] &+= 1
    operations &+= 1
  }

  /// Adds `other` (same recording choices) into `self`.
  public mutating func add(_ other: OperationMeasurements) {
    for index in latency.indices where index < other.latency.count {
      latency[index].add(other.latency[index])
    }
    for index in intendedLatency.indices where index < other.intendedLatency.count {
      intendedLatency[index].add(other.intendedLatency[index])
    }
    if other.hasFailedLatency { makeFailedHistograms() }
    for index in failedLatency.indices where index < other.failedLatency.count {
      failedLatency[index].add(other.failedLatency[index])
    }
    for index in failedIntendedLatency.indices where index < other.failedIntendedLatency.count {
      failedIntendedLatency[index].add(other.failedIntendedLatency[index])
    }
    for index in returnCodes.indices {
      returnCodes[index] &+= other.returnCodes[index]
    }
    operations &+= other.operations
  }

  /// Clears every count, keeping the histograms' storage.
  public mutating func reset() {
    for index in latency.indices where latency[index].totalCount > 0 { latency[index].reset() }
    for index in intendedLatency.indices where intendedLatency[index].totalCount > 0 {
      intendedLatency[index].reset()
    }
    for index in failedLatency.indices where failedLatency[index].totalCount > 0 {
      failedLatency[index].reset()
    }
    for index in failedIntendedLatency.indices where failedIntendedLatency[index].totalCount > 0 {
      failedIntendedLatency[index].reset()
    }
    for index in returnCodes.indices { returnCodes[index] = 0 }
    operations = 0
  }

  /// The count of `operation` that returned `status`.
  public func count(_ operation: Operation, _ status: BindingStatus) -> UInt64 {
    returnCodes[Int(operation.rawValue) * Self.statusCount + Int(status.rawValue)]
  }

  /// Operations of one type, over all return codes.
  public func count(_ operation: Operation) -> UInt64 {
    BindingStatus.allCases.reduce(0) { $0 + count(operation, $1) }
  }

  /// All operation types' latencies merged (for interval p99 and the status line's total).
  public func mergedLatency() -> Histogram<UInt64> {
    var merged = Self.makeHistogram()
    for histogram in (latency.isEmpty ? intendedLatency + failedIntendedLatency : latency + failedLatency) {
      merged.add(histogram)
    }
    return merged
  }
}
