import Foundation
import YCSB

/// The runner's own properties (not CoreWorkload's, not the engine's): threads, throttling,
/// time bound, status and measurement settings, seed and warm-up.
///
/// Read from the merged properties; the command line's `-threads`, `-target`, `--seed`,
/// `--warmup` and `--status-interval` are applied as `-p` properties are, so they win.
public struct RunnerSettings: Sendable, Equatable {
  /// `threadcount` (`-threads`): worker threads per phase. YCSB default 1.
  public var threadCount: Int = 1
  /// `target` (`-target`): total operations per second to throttle to; 0 = unthrottled.
  public var targetOperationsPerSecond: Double = 0
  /// `maxexecutiontime`: seconds after which a phase stops; 0 = no time bound.
  public var maxExecutionTimeSeconds: Double = 0
  /// `status.interval` (`--status-interval`): seconds between status lines and time-series points.
  public var statusIntervalSeconds: Double = 10
  /// `-s`: print status lines on stderr.
  public var printsStatus = false
  /// `measurement.interval`: defaults to `both` when throttled, `op` otherwise.
  public var measurementInterval: MeasurementInterval = .op
  /// `hdrhistogram.percentiles`: the percentiles printed per operation in the text report.
  /// YCSB's default is 95,99; ours adds the median and 99.9th (50,95,99,99.9). The JSON results
  /// always hold 50, 90, 95, 99, 99.9 and 99.99 and the whole histogram.
  public var reportedPercentiles: [Double] = [50, 95, 99, 99.9]
  /// `seed` (`--seed`): the seed of every per-thread generator; drawn at random (and reported)
  /// when not given.
  public var seed: UInt64
  /// Whether `seed` came from the user (otherwise it was drawn at random and is reported).
  public var seedWasGiven = false
  /// `warmup` (`--warmup`): seconds of run-phase operations whose measurements are discarded.
  public var warmupSeconds: Double = 0

  /// `pregenerate`: operations (and their keys) each thread draws before the run phase and then
  /// cycles through, taking the generators out of the timed loop; 0 (default) draws each
  /// operation as it runs. Only for workloads without inserts.
  public var pregeneratedOperations: Int = 0

  /// `measurement.sampling`: time one operation in N (default 1: every one). The others are
  /// counted (operations, return codes, throughput) but not timed, so the loop has no clock
  /// reads between them: per-operation timing stops the CPU from overlapping one
  /// operation's cache misses with the next one's, which costs about 30 % of a memory-bound
  /// run's throughput on this machine. FASTER's own benchmark times no operation.
  /// Throttled runs (`target`) time every operation.
  public var latencySampling: Int = 1

  /// `maxerrorrate`: the fraction of operations that may return ERROR before the run counts as
  /// failed (exit 5). Default 0: any error fails the run. The load stops once it is passed.
  public var maximumErrorRate: Double = 0

  /// `slowdown.spinnanoseconds`: nanoseconds spun inside each timed operation, after the
  /// binding's call (default 0: off). It injects a known slowdown to measure whether the gate
  /// catches one; it touches only fasterbench's worker loop, never the engine.
  public var spinNanosecondsPerOperation: Int = 0

  /// Property names this type reads; with CoreWorkload's and `faster.*`, no warning is printed for them.
  public static let knownNames: Set<String> = [
    "threadcount", "target", "maxexecutiontime", "status.interval", "measurement.interval",
    "hdrhistogram.percentiles", "measurementtype", "seed", "warmup", "pregenerate",
    "measurement.sampling", "maxerrorrate", "slowdown.spinnanoseconds",
  ]

  public init() {
    seed = UInt64.random(in: 0...UInt64.max)
  }

  /// - Throws: ``ConfigurationError`` naming the property and the accepted form.
  public init(properties: Properties) throws(ConfigurationError) {
    self.init()
    func text(_ name: String) -> String? { properties[name]?.trimmingCharacters(in: .whitespaces) }
    if let value = text("threadcount") {
      guard let count = Int(value), count >= 1, count <= 1024 else {
        throw .malformed("threadcount", value, expected: "an integer from 1 to 1024")
      }
      threadCount = count
    }
    if let value = text("target") {
      guard let target = Double(value), target >= 0, target.isFinite else {
        throw .malformed("target", value, expected: "operations per second, a number >= 0 (0 = unthrottled)")
      }
      targetOperationsPerSecond = target
    }
    if let value = text("maxexecutiontime") {
      guard let seconds = Double(value), seconds >= 0, seconds.isFinite else {
        throw .malformed("maxexecutiontime", value, expected: "seconds, a number >= 0 (0 = no bound)")
      }
      maxExecutionTimeSeconds = seconds
    }
    if let value = text("status.interval") {
      guard let seconds = Double(value), seconds > 0, seconds.isFinite else {
        throw .malformed("status.interval", value, expected: "seconds, a number > 0")
      }
      statusIntervalSeconds = seconds
    }
    measurementInterval = targetOperationsPerSecond > 0 ? .both : .op
    if let value = text("measurement.interval") {
      guard let interval = MeasurementInterval(rawValue: value.lowercased()) else {
        throw .malformed("measurement.interval", value, expected: "op, intended or both")
      }
      measurementInterval = interval
    }
    if let value = text("measurementtype"), value.lowercased() != "hdrhistogram" {
      throw .malformed(
        "measurementtype", value, expected: "hdrhistogram (the only measurement type fasterbench implements)")
    }
    if let value = text("hdrhistogram.percentiles") {
      let parts = value.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
      guard !parts.isEmpty, parts.allSatisfy({ $0 != nil && $0! > 0 && $0! < 100 }) else {
        throw .malformed(
          "hdrhistogram.percentiles", value, expected: "comma-separated percentiles in (0, 100), e.g. 95,99")
      }
      reportedPercentiles = parts.map { $0! }
    }
    if let value = text("seed") {
      guard let seed = UInt64(value) else {
        throw .malformed("seed", value, expected: "an unsigned 64-bit integer")
      }
      self.seed = seed
      seedWasGiven = true
    }
    if let value = text("pregenerate") {
      guard let count = Int(value), count >= 0, count <= 1 << 28 else {
        throw .malformed(
          "pregenerate", value, expected: "an operation count per thread from 0 (off) to 268435456")
      }
      pregeneratedOperations = count
    }
    if let value = text("measurement.sampling") {
      guard let every = Int(value), every >= 1, every <= 1 << 20 else {
        throw .malformed(
          "measurement.sampling", value,
          expected: "N from 1 (time every operation) to 1048576: time one operation in N")
      }
      guard every == 1 || targetOperationsPerSecond == 0 else {
        throw .malformed(
          "measurement.sampling", value,
          expected: "1 with target (a throttled run times every operation for its intended latency)")
      }
      latencySampling = every
    }
    if let value = text("maxerrorrate") {
      guard let rate = Double(value), rate >= 0, rate <= 1 else {
        throw .malformed(
          "maxerrorrate", value,
          expected: "a fraction of operations from 0 (the default: no error allowed) to 1")
      }
      maximumErrorRate = rate
    }
    if let value = text("slowdown.spinnanoseconds") {
      guard let nanoseconds = Int(value), nanoseconds >= 0, nanoseconds <= 1_000_000 else {
        throw .malformed(
          "slowdown.spinnanoseconds", value, expected: "nanoseconds per operation from 0 (off) to 1000000")
      }
      spinNanosecondsPerOperation = nanoseconds
    }
    if let value = text("warmup") {
      guard let seconds = Double(value), seconds >= 0, seconds.isFinite else {
        throw .malformed("warmup", value, expected: "seconds, a number >= 0")
      }
      warmupSeconds = seconds
    }
  }
}
