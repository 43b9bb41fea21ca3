import YCSB

/// What one worker thread does in one phase; everything in ticks of the phase's ``CycleClock``.
struct WorkerPlan: Sendable {
  var phase: PhaseKind
  var threadIndex: Int
  /// Measured operations to perform; `Int.max` when only the time bound (or nothing) stops it.
  var operationQuota: Int
  /// Load phase: the first key number of this thread's contiguous share.
  var loadKeyStart: UInt64
  /// Throttling: ticks between this thread's scheduled operations; 0 = unthrottled.
  var ticksPerOperation: Double
  var recordsActual: Bool
  var recordsIntended: Bool
  /// Operations between `completePending(wait: false)` calls.
  var completePendingInterval: Int
  var statusIntervalTicks: UInt64
  /// Ticks after the start whose operations are performed but not measured.
  var warmupTicks: UInt64
  /// Ticks after the end of warm-up at which the phase stops; `UInt64.max` = no time bound.
  var maximumExecutionTicks: UInt64
  var seed: UInt64
  var writeAllFields: Bool
  var maximumScanLength: Int
  /// Time one operation in this many (`measurement.sampling`); the others are only counted.
  var latencySampling: Int = 1
  /// Errors this thread may see before it stops (load phase, `maxerrorrate` of its share);
  /// `Int.max` = never stop for errors.
  var maximumErrors: Int = .max
  /// Ticks spun inside each timed operation (`slowdown.spinnanoseconds`); 0 = off.
  var spinTicksPerOperation: UInt64 = 0
  /// `faster.batch`: operations taken from the stream at a time in the run phase (1 = one by one).
  var batchSize: Int = 1
}

/// What a worker thread hands back at the end of a phase.
struct WorkerOutcome: Sendable {
  var threadIndex: Int
  var measurements: OperationMeasurements
  var warmupOperations: UInt64
  var endTick: UInt64
  var orderedIndexCost: OrderedIndexCost
  var failure: String?
  /// True when the thread stopped because its errors passed `maximumErrors`.
  var stoppedForErrors = false
}

/// Time spent in the ordered index beside the store (workload E): inserts into it and the
/// look-ups that choose a scan's keys, in ticks, with their counts.
public struct OrderedIndexCost: Sendable, Codable, Equatable {
  public var insertCount: UInt64 = 0
  public var insertTicks: UInt64 = 0
  public var lookupCount: UInt64 = 0
  public var lookupTicks: UInt64 = 0

  public init() {}

  mutating func add(_ other: OrderedIndexCost) {
    insertCount &+= other.insertCount
    insertTicks &+= other.insertTicks
    lookupCount &+= other.lookupCount
    lookupTicks &+= other.lookupTicks
  }
}
