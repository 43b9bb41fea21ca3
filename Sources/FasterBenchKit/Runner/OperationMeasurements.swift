import Histogram
import YCSB

/// One thread's measurements over some span (a status interval, or a whole phase): a latency
/// histogram per operation type (nanoseconds, 3 significant digits), optionally a second one
/// measured from the intended start, return-code counts, and the operation count.
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
    if !latency.isEmpty {
      latency[index].record(min(nanoseconds, Self.highestTrackableNanoseconds))
    }
    if !intendedLatency.isEmpty {
      intendedLatency[index].record(min(intendedNanoseconds, Self.highestTrackableNanoseconds))
    }
    returnCodes[index &* Self.statusCount &+ Int(truncatingIfNeeded: status.rawValue)] &+= 1
    operations &+= 1
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
    for histogram in (latency.isEmpty ? intendedLatency : latency) { merged.add(histogram) }
    return merged
  }
}
