import Foundation
import Histogram

/// `fasterbench sweep`: the cartesian product of `--vary` values, each point run repeatedly
/// (interleaved), summarised as throughput and p99 with their noise, and the best point named
/// with its margin over the runner-up.
public struct KnobSweep: Sendable {
  /// One `--vary name=v1,v2,...`.
  public struct Dimension: Sendable, Equatable {
    public var name: String
    public var values: [String]

    /// Parses `name=v1,v2,...`.
    public init(argument: String) throws(GateError) {
      guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
        throw GateError(
          .usage,
          "--vary \(argument) is malformed: expected name=v1,v2,... e.g. faster.log.mutablefraction=0.5,0.9")
      }
      name = String(argument[..<equals]).trimmingCharacters(in: .whitespaces)
      values = argument[argument.index(after: equals)...].split(separator: ",").map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      guard !values.isEmpty, Set(values).count == values.count else {
        throw GateError(.usage, "--vary \(argument): give distinct values separated by commas")
      }
    }
  }

  /// One point: a value per dimension.
  public struct Point: Sendable, Equatable {
    public var assignments: [(name: String, value: String)]

    /// `name=value name2=value2`, the point's workload label.
    public var label: String { assignments.map { "\($0.name)=\($0.value)" }.joined(separator: " ") }

    public static func == (lhs: Point, rhs: Point) -> Bool { lhs.label == rhs.label }
  }

  /// The points of the dimensions' cartesian product, the first dimension varying slowest.
  public static func points(_ dimensions: [Dimension]) -> [Point] {
    var points = [Point(assignments: [])]
    for dimension in dimensions {
      points = points.flatMap { point in
        dimension.values.map { Point(assignments: point.assignments + [(dimension.name, $0)]) }
      }
    }
    return points
  }

  /// A point's summary over its repetitions.
  public struct Summary: Sendable {
    public var point: Point
    public var throughput: [Double]
    /// p99 of all operation types together, per repetition, nanoseconds.
    public var p99Nanoseconds: [Double]

    public var throughputMedian: Double { SampleStatistics.median(throughput) }
    public var p99Median: Double { SampleStatistics.median(p99Nanoseconds) }
  }

  /// Summaries of `records` (from ``RepeatedRuns``, labelled with the points' labels).
  public static func summarize(_ records: [RunRecord], points: [Point]) -> [Summary] {
    points.map { point in
      let runs = records.filter { $0.workload == point.label }
      return Summary(
        point: point,
        throughput: runs.compactMap { WorkloadSeries.measuredPhase($0)?.throughputOperationsPerSecond },
        p99Nanoseconds: runs.compactMap(overallP99Nanoseconds))
    }
  }

  /// p99 over all operation types of the measured phase: from the merged histograms, or the
  /// worst type's p99 when they were dropped.
  static func overallP99Nanoseconds(_ run: RunRecord) -> Double? {
    let latencies = (WorkloadSeries.measuredPhase(run)?.operationTypes ?? []).compactMap {
      $0.latency ?? $0.intendedLatency
    }
    guard !latencies.isEmpty else { return nil }
    if latencies.allSatisfy({ !HistogramRetention.isStripped($0) }) {
      var merged = latencies[0].histogram
      for latency in latencies.dropFirst() { merged.add(latency.histogram) }
      return Double(merged.valueAtPercentile(99))
    }
    return latencies.map(\.nanoseconds.p99).max()
  }

  /// The table and the verdict line.
  public static func report(_ summaries: [Summary]) -> [String] {
    let rows = summaries.map { summary in
      [
        summary.point.label, GateFormat.compact(summary.throughputMedian),
        GateFormat.noise(SampleStatistics.noiseFraction(summary.throughput)),
        GateFormat.value(summary.p99Median, .p99),
        GateFormat.noise(SampleStatistics.noiseFraction(summary.p99Nanoseconds)),
        String(summary.throughput.count),
      ]
    }
    var lines = GateFormat.table(
      header: ["point", "ops/s", "noise", "p99 ns", "noise", "n"], rows: rows, rightAligned: [1, 2, 3, 4, 5])
    lines.append(bestLine(summaries))
    return lines
  }

  /// Which point had the highest median throughput, and by how much over the runner-up, with the
  /// bootstrap interval of the ratio and the Mann–Whitney p-value.
  public static func bestLine(_ summaries: [Summary]) -> String {
    let ranked = summaries.filter { !$0.throughput.isEmpty }.sorted {
      $0.throughputMedian > $1.throughputMedian
    }
    guard let best = ranked.first else { return "best: no point produced a throughput" }
    var line =
      "best: \(best.point.label) at \(GateFormat.compact(best.throughputMedian)) ops/s "
      + "(noise \(GateFormat.noise(SampleStatistics.noiseFraction(best.throughput))), "
      + "p99 \(GateFormat.value(best.p99Median, .p99)) ns)"
    guard ranked.count > 1 else { return line }
    let next = ranked[1]
    let ratio = MedianRatioBootstrap(candidate: best.throughput, baseline: next.throughput)
    let test = MannWhitneyTest(best.throughput, next.throughput)
    line += "; \(GateFormat.percent((ratio.ratio - 1) * 100)) over the next best, \(next.point.label) "
    line +=
      "(95% CI [\(GateFormat.percent((ratio.lower - 1) * 100)), \(GateFormat.percent((ratio.upper - 1) * 100))], "
    line +=
      "p=\(GateFormat.pValue(test.pValue))\(test.pValue < GateThresholds.builtInAlpha ? "" : ", not significant"))"
    if ranked.count > 2, let worst = ranked.last {
      line +=
        "; \(GateFormat.percent((best.throughputMedian / worst.throughputMedian - 1) * 100)) over the worst, "
      line += worst.point.label
    }
    return line
  }

  /// The chart page: throughput and p99 against the points, median with min and max.
  public static func html(_ summaries: [Summary], title: String) -> String {
    let ticks = summaries.enumerated().map { (value: Double($0.offset + 1), text: $0.element.point.label) }
    func lines(_ values: (Summary) -> [Double], scale: Double) -> [SVGChart.Line] {
      let medians = summaries.enumerated().map {
        (Double($0.offset + 1), SampleStatistics.median(values($0.element)) / scale)
      }
      let lows = summaries.enumerated().map {
        (Double($0.offset + 1), (values($0.element).min() ?? .nan) / scale)
      }
      let highs = summaries.enumerated().map {
        (Double($0.offset + 1), (values($0.element).max() ?? .nan) / scale)
      }
      return [
        SVGChart.Line(name: "median", color: SVGChart.color(0), points: medians.map { (x: $0.0, y: $0.1) }),
        SVGChart.Line(
          name: "min / max", color: SVGChart.color(0), points: lows.map { (x: $0.0, y: $0.1) }, dashed: true,
          opacity: 0.5),
        SVGChart.Line(
          name: "", color: SVGChart.color(0), points: highs.map { (x: $0.0, y: $0.1) }, dashed: true,
          opacity: 0.5),
      ]
    }
    let throughput = SVGChart.lines(
      title: "Throughput by point", lines: lines({ $0.throughput }, scale: 1),
      x: SVGChart.Axis(label: "point", ticks: ticks), y: SVGChart.Axis(label: "ops/s", includes: 0),
      width: 900)
    let p99 = SVGChart.lines(
      title: "p99 latency (all operations) by point", lines: lines({ $0.p99Nanoseconds }, scale: 1000),
      x: SVGChart.Axis(label: "point", ticks: ticks), y: SVGChart.Axis(label: "µs", includes: 0), width: 900)
    let table = report(summaries).map { SVGChart.escape($0) }.joined(separator: "\n")
    return """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8"><title>\(SVGChart.escape(title))</title>
      <style>body { font-family: sans-serif; margin: 24px; }</style></head><body>
      <h1>\(SVGChart.escape(title))</h1>
      \(throughput)
      \(p99)
      <pre>\(table)</pre>
      </body></html>

      """
  }
}
