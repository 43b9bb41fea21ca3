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

  /// `exporter`: the report's form (YCSB's exporter class names); text by default.
  public var exporter: MeasurementsExporter = .text
  /// `exportfile`: where the report goes instead of stdout.
  public var exportFile: String?

  /// `hdrhistogram.fileoutput=true`: the prefix (`hdrhistogram.output.path`, default empty) of
  /// the per-measurement interval logs `<prefix><NAME>.hdr`; nil when off.
  public var histogramLogPrefix: String?

  /// Notes about accepted-but-substituted properties (e.g. `measurementtype=histogram`), for stderr.
  public var warnings: [String] = []

  /// The longest duration a time property accepts (warm-up, time bound, status interval): one
  /// year, so that seconds × ticks per second stays far inside 64 bits.
  public static let maximumSeconds: Double = 31_536_000
  /// The shortest status interval: below it, depositing interval measurements would take a
  /// noticeable share of every thread's time and distort the throughput being measured.
  public static let minimumStatusIntervalSeconds: Double = 0.1
  /// The throttle range: slower than one operation in 1000 s or faster than 10¹⁰ operations per
  /// second cannot be scheduled on the cycle clock.
  public static let targetRange: ClosedRange<Double> = 0.001...1e10

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
    "measurement.sampling", "maxerrorrate", "slowdown.spinnanoseconds", "exporter", "exportfile",
    "hdrhistogram.fileoutput", "hdrhistogram.output.path",
  ]

  /// YCSB's measurement types other than hdrhistogram: accepted, with a warning.
  static let otherMeasurementTypes: Set<String> = [
    "histogram", "hdrhistogram+histogram", "hdrhistogram+raw", "raw", "timeseries",
  ]

  public init() {
    seed = UInt64.random(in: 0...UInt64.max)
  }

  /// - Throws: ``ConfigurationError`` naming the property and the accepted form.
  public init(properties: Properties) throws(ConfigurationError) {
    self.init()
    func text(_ name: String) -> String? { properties[name]?.trimmingCharacters(in: .whitespaces) }
    func malformed(_ name: String, _ value: String, expected: String) -> ConfigurationError {
      .malformed(name, value, expected: expected, in: properties)
    }
    func seconds(_ name: String, _ value: String, minimum: Double = 0, meaning: String)
      throws(ConfigurationError)
      -> Double
    {
      guard let seconds = Double(value), seconds.isFinite, seconds >= 0 else {
        throw malformed(
          name, value,
          expected:
            "seconds from \(LatencyFormat.twoDecimals(minimum)) to \(Int(Self.maximumSeconds)) \(meaning)")
      }
      guard seconds >= minimum && seconds <= Self.maximumSeconds else {
        throw .outOfRange(
          name, value,
          accepted:
            "seconds from \(LatencyFormat.twoDecimals(minimum)) to \(Int(Self.maximumSeconds)) \(meaning)",
          in: properties)
      }
      return seconds
    }
    if let value = text("threadcount") {
      guard let count = Int(value), count >= 1, count <= 1024 else {
        throw malformed("threadcount", value, expected: "an integer from 1 to 1024")
      }
      threadCount = count
    }
    if let value = text("target") {
      guard let target = Double(value), target >= 0, target.isFinite else {
        throw malformed(
          "target", value, expected: "operations per second, 0 (unthrottled) or from 0.001 to 1e10")
      }
      guard target == 0 || Self.targetRange.contains(target) else {
        throw .outOfRange(
          "target", value, accepted: "operations per second, 0 (unthrottled) or from 0.001 to 1e10",
          in: properties)
      }
      targetOperationsPerSecond = target
    }
    if let value = text("maxexecutiontime") {
      maxExecutionTimeSeconds = try seconds("maxexecutiontime", value, meaning: "(one year; 0 = no bound)")
    }
    if let value = text("status.interval") {
      statusIntervalSeconds = try seconds(
        "status.interval", value, minimum: Self.minimumStatusIntervalSeconds,
        meaning: "(one year; shorter intervals would distort the throughput measured)")
    }
    measurementInterval = targetOperationsPerSecond > 0 ? .both : .op
    if let value = text("measurement.interval") {
      guard let interval = MeasurementInterval(rawValue: value.lowercased()) else {
        throw malformed("measurement.interval", value, expected: "op, intended or both")
      }
      measurementInterval = interval
    }
    if let value = text("measurementtype"), value.lowercased() != "hdrhistogram" {
      // YCSB's other types (its workload_template sets `histogram`) summarise the same latencies
      // less precisely; fasterbench measures with HdrHistogram and says so.
      guard Self.otherMeasurementTypes.contains(value.lowercased()) else {
        throw malformed(
          "measurementtype", value,
          expected:
            "hdrhistogram (or one of YCSB's \(Self.otherMeasurementTypes.sorted().joined(separator: ", ")), "
            + "which fasterbench measures with hdrhistogram)")
      }
      let location = properties.origin(of: "measurementtype").map { "\($0): " } ?? ""
      warnings.append(
        "fasterbench: warning: \(location)measurementtype=\(value): fasterbench measures with hdrhistogram "
          + "(3 significant digits); the report has hdrhistogram's lines")
    }
    if let value = text("hdrhistogram.percentiles") {
      let parts = value.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
      guard !parts.isEmpty, parts.allSatisfy({ $0 != nil && $0! > 0 && $0! <= 100 }) else {
        throw malformed(
          "hdrhistogram.percentiles", value,
          expected: "comma-separated percentiles in (0, 100], e.g. 95,99,100")
      }
      reportedPercentiles = parts.map { $0! }
    }
    if let value = text("seed") {
      guard let seed = UInt64(value) else {
        throw malformed("seed", value, expected: "an unsigned 64-bit integer, from 0 to \(UInt64.max)")
      }
      self.seed = seed
      seedWasGiven = true
    }
    if let value = text("pregenerate") {
      guard let count = Int(value), count >= 0, count <= 1 << 28 else {
        throw malformed(
          "pregenerate", value, expected: "an operation count per thread from 0 (off) to 268435456")
      }
      pregeneratedOperations = count
    }
    if let value = text("measurement.sampling") {
      guard let every = Int(value), every >= 1, every <= 1 << 20 else {
        throw malformed(
          "measurement.sampling", value,
          expected: "N from 1 (time every operation) to 1048576: time one operation in N")
      }
      guard every == 1 || targetOperationsPerSecond == 0 else {
        throw malformed(
          "measurement.sampling", value,
          expected: "1 with target (a throttled run times every operation for its intended latency)")
      }
      latencySampling = every
    }
    if let value = text("maxerrorrate") {
      guard let rate = Double(value), rate >= 0, rate <= 1 else {
        throw malformed(
          "maxerrorrate", value,
          expected: "a fraction of operations from 0 (the default: no error allowed) to 1")
      }
      maximumErrorRate = rate
    }
    if let value = text("slowdown.spinnanoseconds") {
      guard let nanoseconds = Int(value), nanoseconds >= 0, nanoseconds <= 1_000_000 else {
        throw malformed(
          "slowdown.spinnanoseconds", value, expected: "nanoseconds per operation from 0 (off) to 1000000")
      }
      spinNanosecondsPerOperation = nanoseconds
    }
    if let value = text("exporter") {
      guard let exporter = MeasurementsExporter(property: value) else {
        throw malformed(
          "exporter", value,
          expected: "one of \(MeasurementsExporter.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      self.exporter = exporter
    }
    if let value = text("hdrhistogram.fileoutput") {
      switch value.lowercased() {
      case "true": histogramLogPrefix = properties["hdrhistogram.output.path"] ?? ""
      case "false": histogramLogPrefix = nil
      default: throw malformed("hdrhistogram.fileoutput", value, expected: "true or false")
      }
    }
    if let value = text("exportfile"), !value.isEmpty {
      exportFile = value
    }
    if let value = text("warmup") {
      warmupSeconds = try seconds("warmup", value, meaning: "(one year) of unmeasured operations")
    }
  }
}
