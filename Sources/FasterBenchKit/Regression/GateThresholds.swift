import Foundation
import YCSB

/// How large a significant change must be to count, per metric, with per-workload overrides,
/// and the significance level of the rank tests.
///
/// Defaults (percent): throughput 5, p50 10, p99 10, p99.9 20, harness 15; alpha 0.05. Read from
/// a TOML file (`results/thresholds.toml`) and then from `--threshold` arguments, later wins:
///
///     alpha = 0.05
///     [default]
///     throughput = 5
///     p99_9 = 20          # or "p99.9" = 20
///     [workload.workloade]
///     throughput = 8
///
/// On the command line: `--threshold throughput=7`, `--threshold workloade:p99=15`.
public struct GateThresholds: Sendable, Equatable {
  /// Percent per metric for every workload.
  public var defaultPercent: [GateMetric: Double]
  /// Percent per metric for one workload (by its label), winning over ``defaultPercent``.
  public var workloadPercent: [String: [GateMetric: Double]]
  /// The rank tests' two-sided significance level.
  public var alpha: Double
  /// Latency changes smaller than this many nanoseconds are never a verdict: fast operations'
  /// percentiles move in steps of the clock's resolution (10 ns on this project's machine), and
  /// one step of an 80 ns median is 12.5%. TOML `latency_floor_ns`, `--threshold latency_floor_ns=N`.
  public var latencyFloorNanoseconds: Double
  /// Against a stored baseline (unpaired), the latency floor is at least this: a sub-100 ns
  /// median measured hours apart moves by several clock steps with the cache state the
  /// machine's other tenants leave (measured here: a same-build faster-c-uniform READ p50 of
  /// 50 ns in all five baseline repetitions read 80 ns in a quiet candidate run, throughput
  /// unchanged). Such an operation's slowdown still shows in its throughput row, which gates.
  /// Paired A/B comparisons keep ``latencyFloorNanoseconds``. TOML `stored_latency_floor_ns`,
  /// `--threshold stored_latency_floor_ns=N`.
  public var storedLatencyFloorNanoseconds: Double
  /// Metrics that never fail a stored-baseline (unpaired) comparison: their rows are judged and
  /// shown, marked advisory, but add nothing to the exit code. Tail latencies and the harness
  /// overhead of a run made hours or days apart move with the machine's other tenants far more
  /// than throughput and medians do (see README, "Stored-baseline accuracy"); paired A/B runs
  /// gate on every metric. TOML `advisory = "p99, p99.9, harness"`, `--threshold advisory=none`.
  public var advisoryMetrics: Set<GateMetric>
  /// Unpaired, a row's limit is at least this many times the robust spread of the baseline's
  /// repetitions (``SampleStatistics/noiseFraction(_:)``, in percent): a change of a size the
  /// baseline's own repetitions show between themselves is no evidence, and a dozen rows each
  /// tested at alpha would otherwise flag one of them in many same-build runs. The baseline's
  /// spread only: a candidate made noisy by the change itself (or by a bad hour) must not widen
  /// its own limit. Paired comparisons keep their limits. TOML `noise_factor`,
  /// `--threshold noise_factor=0` (off).
  public var noiseFactor: Double

  public static let builtInPercent: [GateMetric: Double] = [
    .throughput: 5, .p50: 10, .p99: 10, .p99_9: 20, .harness: 15,
  ]
  public static let builtInAlpha = 0.05
  public static let builtInLatencyFloorNanoseconds = 20.0
  public static let builtInStoredLatencyFloorNanoseconds = 50.0
  public static let builtInAdvisoryMetrics: Set<GateMetric> = [.p99, .p99_9, .harness]
  public static let builtInNoiseFactor = 2.0

  public init() {
    defaultPercent = Self.builtInPercent
    workloadPercent = [:]
    alpha = Self.builtInAlpha
    latencyFloorNanoseconds = Self.builtInLatencyFloorNanoseconds
    storedLatencyFloorNanoseconds = Self.builtInStoredLatencyFloorNanoseconds
    advisoryMetrics = Self.builtInAdvisoryMetrics
    noiseFactor = Self.builtInNoiseFactor
  }

  /// Whether `metric`'s rows are advisory in a comparison of this mode (never when paired).
  public func isAdvisory(_ metric: GateMetric, mode: Comparison.Mode) -> Bool {
    mode == .unpaired && advisoryMetrics.contains(metric)
  }

  /// Changes of `metric` (a latency or the harness overhead, nanoseconds) smaller than this are
  /// never a verdict in a comparison of this mode. The stored-baseline floor is for the
  /// operations' percentiles; the harness overhead is advisory there anyway.
  public func latencyFloor(_ metric: GateMetric = .p50, mode: Comparison.Mode) -> Double {
    guard mode == .unpaired, metric != .harness else { return latencyFloorNanoseconds }
    return max(latencyFloorNanoseconds, storedLatencyFloorNanoseconds)
  }

  /// The threshold of `metric` for `workload`, percent.
  public func percent(_ metric: GateMetric, workload: String) -> Double {
    workloadPercent[workload]?[metric] ?? defaultPercent[metric] ?? Self.builtInPercent[metric]!
  }

  /// The limit of a row in percent: the metric's threshold, raised unpaired to
  /// ``noiseFactor`` times the baseline's spread.
  public func effectivePercent(
    _ metric: GateMetric, workload: String, mode: Comparison.Mode, baseline: [Double]
  )
    -> Double
  {
    let base = percent(metric, workload: workload)
    guard mode == .unpaired else { return base }
    return max(base, noiseFactor * SampleStatistics.noiseFraction(baseline) * 100)
  }

  /// Reads a thresholds file over the built-in defaults.
  ///
  /// - Throws: ``GateError`` (input) naming the file and the entry at fault.
  public static func load(path: String) throws(GateError) -> GateThresholds {
    guard FileManager.default.fileExists(atPath: path) else {
      throw GateError(.input, "thresholds file \(path) does not exist")
    }
    let properties: Properties
    do {
      properties = try ConfigurationFile.load(path: path)
    } catch {
      throw GateError(.input, "thresholds file \(path): \(error.description)")
    }
    var thresholds = GateThresholds()
    for name in properties.names {
      let value = properties[name]!
      try thresholds.apply(name: name, value: value, source: "thresholds file \(path)")
    }
    return thresholds
  }

  /// Applies one `--threshold` argument: `metric=percent`, `workload:metric=percent` or `alpha=value`.
  public mutating func apply(argument: String) throws(GateError) {
    guard let equals = argument.firstIndex(of: "=") else {
      throw GateError(
        .usage, "--threshold \(argument) is malformed: expected metric=percent or workload:metric=percent")
    }
    let key = String(argument[..<equals])
    let value = String(argument[argument.index(after: equals)...])
    if let colon = key.firstIndex(of: ":") {
      let workload = String(key[..<colon])
      try apply(
        name: "workload.\(workload).\(key[key.index(after: colon)...])", value: value, source: "--threshold")
    } else {
      let isGlobal = Self.globalNames.contains(key)
      try apply(name: isGlobal ? key : "default.\(key)", value: value, source: "--threshold")
    }
  }

  /// The settings that are not per metric.
  static let globalNames: Set<String> = [
    "alpha", "latency_floor_ns", "stored_latency_floor_ns", "advisory", "noise_factor",
  ]

  private mutating func apply(name: String, value: String, source: String) throws(GateError) {
    let metricNames = GateMetric.allCases.map(\.displayName).joined(separator: ", ")
    if name == "advisory" {
      advisoryMetrics = try Self.metricList(value, source: source, names: metricNames)
      return
    }
    guard let number = Double(value.trimmingCharacters(in: .whitespaces)), number.isFinite, number >= 0 else {
      throw GateError(.input, "\(source): \(name)=\(value) is not a number >= 0")
    }
    if name == "alpha" {
      guard number > 0, number < 1 else {
        throw GateError(.input, "\(source): alpha=\(value) must be in (0, 1)")
      }
      alpha = number
      return
    }
    if name == "latency_floor_ns" {
      latencyFloorNanoseconds = number
      return
    }
    if name == "stored_latency_floor_ns" {
      storedLatencyFloorNanoseconds = number
      return
    }
    if name == "noise_factor" {
      noiseFactor = number
      return
    }
    // default.<metric> or workload.<name>.<metric>; p99.9 arrives as ...p99.9 when quoted in TOML.
    var parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    if parts.count >= 2, parts[parts.count - 2] == "p99", parts.last == "9" {
      parts.removeLast()
      parts[parts.count - 1] = "p99_9"
    }
    guard let metricName = parts.last, let metric = GateMetric(name: metricName) else {
      throw GateError(.input, "\(source): unknown threshold \(name): the metrics are \(metricNames)")
    }
    if parts.count == 2 && parts[0] == "default" {
      defaultPercent[metric] = number
    } else if parts.count >= 3 && parts[0] == "workload" {
      let workload = parts[1..<(parts.count - 1)].joined(separator: ".")
      workloadPercent[workload, default: [:]][metric] = number
    } else {
      throw GateError(
        .input,
        "\(source): unknown threshold \(name): expected alpha, latency_floor_ns, stored_latency_floor_ns, noise_factor, advisory, default.<metric> or workload.<name>.<metric>"
      )
    }
  }

  /// `advisory`'s value: metric names separated by commas or spaces, or `none`.
  private static func metricList(_ value: String, source: String, names: String) throws(GateError)
    -> Set<GateMetric>
  {
    let words = value.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }).map(String.init)
    if words == ["none"] || words.isEmpty { return [] }
    var metrics: Set<GateMetric> = []
    for word in words {
      guard let metric = GateMetric(name: word) else {
        throw GateError(
          .input, "\(source): advisory=\(value): unknown metric '\(word)': the metrics are \(names), or none")
      }
      metrics.insert(metric)
    }
    return metrics
  }
}
