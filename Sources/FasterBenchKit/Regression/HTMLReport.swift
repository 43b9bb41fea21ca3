import Foundation
import Histogram

/// `fasterbench report`: one self-contained HTML page (inline SVG, no scripts, no network) with
/// throughput per workload against the baseline, latency percentile curves, throughput over
/// time per run, and the smoke job's history trend.
public struct HTMLReport: Sendable {
  /// A results file and the name it goes by in the legends.
  public struct Input: Sendable {
    public var name: String
    public var file: ResultsFile

    public init(name: String, file: ResultsFile) {
      self.name = name
      self.file = file
    }
  }

  public var title: String
  public var inputs: [Input]
  public var baseline: Input?
  public var history: [GateHistoryEntry]
  public var thresholds: GateThresholds

  public init(
    title: String, inputs: [Input], baseline: Input? = nil, history: [GateHistoryEntry] = [],
    thresholds: GateThresholds = GateThresholds()
  ) {
    self.title = title
    self.inputs = inputs
    self.baseline = baseline
    self.history = history
    self.thresholds = thresholds
  }

  /// Every series to draw: the baseline first (grey, dashed), then the inputs.
  private var sides: [(input: Input, color: String, isBaseline: Bool)] {
    (baseline.map { [($0, SVGChart.baselineColor, true)] } ?? [])
      + inputs.enumerated().map { ($1, SVGChart.color($0), false) }
  }

  /// The workload labels, in order of first appearance over the inputs, then the baseline.
  private var workloadNames: [String] {
    var names: [String] = []
    for side in inputs.map(\.file) + (baseline.map { [$0.file] } ?? []) {
      for series in WorkloadSeries.group(side) where !names.contains(series.displayName) {
        names.append(series.displayName)
      }
    }
    return names
  }

  public func html() -> String {
    var body = "<h1>\(SVGChart.escape(title))</h1>\n"
    body += provenance()
    if let baseline, let first = inputs.first {
      body += comparisonSection(candidate: first, baseline: baseline)
    }
    body +=
      "<h2>Throughput per workload</h2>\n<p>Median over the repetitions; the whisker spans the slowest "
      + "to the fastest repetition. Each workload has its own scale.</p>\n"
    body += throughputChart()
    body += logSection()
    body +=
      "<h2>Latency percentiles</h2>\n<p>HdrHistogram style: the x axis is 1/(1 - percentile), log scale; "
      + "repetitions merged. A dashed line is the baseline.</p>\n<div class=\"grid\">\n"
    for workload in workloadNames { body += latencyChart(workload) + "\n" }
    body +=
      "</div>\n<h2>Throughput over time</h2>\n<p>One line per run (repetition), per status interval.</p>\n"
    body += "<div class=\"grid\">\n"
    for workload in workloadNames { body += timeSeriesChart(workload) + "\n" }
    body += "</div>\n"
    if !history.isEmpty { body += historySection() }
    return """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8"><title>\(SVGChart.escape(title))</title>
      <style>
      body { font-family: sans-serif; margin: 24px; color: #222; max-width: 1200px; }
      table { border-collapse: collapse; font-size: 12px; margin: 8px 0 16px; }
      th, td { border: 1px solid #ccc; padding: 3px 6px; text-align: right; }
      th:first-child, td:first-child { text-align: left; }
      .regression { background: #fdd; font-weight: bold; } .improvement { background: #dfd; } .advisory { background: #ffe; }
      .noisy { background: #ffd; } .grid { display: flex; flex-wrap: wrap; gap: 12px; }
      </style></head><body>
      \(body)
      </body></html>

      """
  }

  private func provenance() -> String {
    var rows = ""
    for side in sides {
      let run = side.input.file.runs[0]
      rows +=
        "<tr><td>\(SVGChart.escape(side.input.name))\(side.isBaseline ? " (baseline)" : "")</td>"
        + "<td>\(SVGChart.escape(side.input.file.createdAt))</td><td>\(SVGChart.escape(run.machine.profileName))</td>"
        + "<td>\(SVGChart.escape(run.build.configuration))</td>"
        + "<td>\(SVGChart.escape(String((run.build.gitCommit ?? "unknown").prefix(12))))</td>"
        + "<td>\(side.input.file.runs.count)</td></tr>\n"
    }
    return "<table><tr><th>results</th><th>created</th><th>machine profile</th><th>build</th><th>commit</th>"
      + "<th>runs</th></tr>\n\(rows)</table>\n"
  }

  private func comparisonSection(candidate: Input, baseline: Input) -> String {
    var section = "<h2>Against the baseline</h2>\n"
    let comparison: Comparison
    do {
      comparison = try Comparison(candidate: candidate.file, baseline: baseline.file, thresholds: thresholds)
    } catch {
      return section + "<p class=\"regression\">\(SVGChart.escape(error.description))</p>\n"
    }
    section += "<p><b>\(SVGChart.escape(ComparisonReport.summary(comparison)))</b></p>\n<table><tr>"
    section += ComparisonReport.header.map { "<th>\(SVGChart.escape($0))</th>" }.joined() + "</tr>\n"
    for row in comparison.rows {
      let rowClass = row.isAdvisory && row.verdict != .unchanged ? "advisory" : row.verdict.rawValue
      section += "<tr class=\"\(rowClass)\">"
      section += ComparisonReport.cells(row).map { "<td>\(SVGChart.escape($0))</td>" }.joined() + "</tr>\n"
    }
    return section + "</table>\n"
  }

  /// FasterLog workloads: medians of MB/s, the raw device's MB/s at the same commit cadence,
  /// their ratio and the commit latency; nothing when no input has a log run.
  private func logSection() -> String {
    var rows = ""
    for side in sides {
      for series in WorkloadSeries.group(side.input.file) {
        let logs = series.runs.compactMap(\.log)
        guard !logs.isEmpty else { continue }
        let raw = logs.compactMap(\.raw).map(\.megabytesPerSecond)
        let ratios = logs.compactMap(\.rawRatio)
        let endToEnd = logs.compactMap(\.endToEndLatency).map(\.microseconds.p99)
        let cells = [
          side.input.name + (side.isBaseline ? " (baseline)" : ""), series.displayName,
          logs[0].entrySize ?? "\(logs[0].entryBytes)", logs[0].commitPolicy, logs[0].device, "\(logs.count)",
          String(format: "%.0f", SampleStatistics.median(logs.map(\.entriesPerSecond))),
          String(format: "%.1f", SampleStatistics.median(logs.map(\.megabytesPerSecond))),
          raw.isEmpty ? "-" : String(format: "%.1f", SampleStatistics.median(raw)),
          ratios.isEmpty ? "-" : String(format: "%.1f%%", SampleStatistics.median(ratios) * 100),
          String(format: "%.0f", SampleStatistics.median(logs.map(\.commitLatency.microseconds.p50))),
          String(format: "%.0f", SampleStatistics.median(logs.map(\.commitLatency.microseconds.p99))),
          endToEnd.isEmpty ? "-" : String(format: "%.0f", SampleStatistics.median(endToEnd)),
        ]
        rows += "<tr>" + cells.map { "<td>\(SVGChart.escape($0))</td>" }.joined() + "</tr>\n"
      }
    }
    guard !rows.isEmpty else { return "" }
    let header = [
      "results", "workload", "entry bytes", "commit policy", "device", "runs", "entries/s", "MB/s",
      "raw MB/s", "log/raw", "commit p50 µs", "commit p99 µs", "end-to-end p99 µs",
    ]
    return "<h2>FasterLog</h2>\n<p>Medians over the repetitions. Raw: O_DIRECT sequential writes on the same "
      + "device kind and file system, synced at the log's commit cadence, in the same run. End-to-end: enqueue to "
      + "visible at a consumer iterator (runs with a consumer).</p>\n<table><tr>"
      + header.map { "<th>\($0)</th>" }.joined() + "</tr>\n" + rows + "</table>\n"
  }

  private func throughputChart() -> String {
    var groups: [(label: String, bars: [SVGChart.Bar])] = []
    for workload in workloadNames {
      var bars: [SVGChart.Bar] = []
      for side in sides {
        guard let series = WorkloadSeries.group(side.input.file).first(where: { $0.displayName == workload })
        else {
          continue
        }
        let samples = series.samples(.throughput)
        guard !samples.isEmpty else { continue }
        bars.append(
          SVGChart.Bar(
            name: side.input.name + (side.isBaseline ? " (baseline)" : ""), color: side.color,
            value: SampleStatistics.median(samples), low: samples.min()!, high: samples.max()!))
      }
      groups.append((workload, bars))
    }
    return SVGChart.barGroups(title: "Throughput (median, min-max)", groups: groups, unit: "ops/s") + "\n"
  }

  static let percentileTicks: [(value: Double, text: String)] = [
    (1, "0%"), (2, "50%"), (10, "90%"), (100, "99%"), (1000, "99.9%"), (10000, "99.99%"),
    (100_000, "99.999%"),
  ]

  private func latencyChart(_ workload: String) -> String {
    var lines: [SVGChart.Line] = []
    for side in sides {
      guard let series = WorkloadSeries.group(side.input.file).first(where: { $0.displayName == workload })
      else {
        continue
      }
      for (index, operation) in series.operationNames.enumerated() {
        let points = Self.percentileCurve(series, operation: operation)
        guard !points.isEmpty else { continue }
        // Color by operation; the baseline dashed, later inputs fainter.
        let position = inputs.firstIndex { $0.name == side.input.name } ?? 0
        lines.append(
          SVGChart.Line(
            name: "\(operation) \(side.input.name)", color: SVGChart.color(index), points: points,
            dashed: side.isBaseline, opacity: side.isBaseline || position == 0 ? 1 : 0.55))
      }
    }
    return SVGChart.lines(
      title: "\(workload): latency by percentile", lines: lines,
      x: SVGChart.Axis(label: "percentile", logarithmic: true, ticks: Self.percentileTicks),
      y: SVGChart.Axis(label: "latency (µs)", logarithmic: true) { value in
        value >= 1 ? GateFormat.compact(value) : String(format: "%g", value)
      })
  }

  /// (1/(1-p), latency µs) points: from the merged whole histograms when the runs kept them,
  /// else from the summary percentiles (median over the repetitions).
  static func percentileCurve(_ series: WorkloadSeries, operation: String) -> [(x: Double, y: Double)] {
    let records = series.runs.compactMap { run in
      WorkloadSeries.measuredPhase(run)?.operationTypes.first { $0.name == operation }
        .flatMap { $0.latency ?? $0.intendedLatency }
    }
    let whole = records.filter { !HistogramRetention.isStripped($0) && $0.histogram.totalCount > 0 }
    if var merged = whole.first?.histogram {
      for record in whole.dropFirst() { merged.add(record.histogram) }
      let count = Double(merged.totalCount)
      var points: [(x: Double, y: Double)] = []
      var exponent = 0.0
      while exponent <= 5 {
        let x = pow(10, exponent)
        let percentile = 100 * (1 - 1 / x)
        if x > count { break }
        points.append((x, Double(merged.valueAtPercentile(percentile)) / 1000))
        exponent += 0.1
      }
      points.append((min(1e5, count), Double(merged.max) / 1000))
      return points
    }
    guard !records.isEmpty else { return [] }
    let figures: [(Double, KeyPath<LatencyFigures, Double>)] = [
      (2, \.p50), (10, \.p90), (20, \.p95), (100, \.p99), (1000, \.p99_9), (10000, \.p99_99),
    ]
    return figures.map { x, path in
      (x, SampleStatistics.median(records.map { $0.microseconds[keyPath: path] }))
    }
  }

  private func timeSeriesChart(_ workload: String) -> String {
    var lines: [SVGChart.Line] = []
    // Background checkpoints (`faster.checkpoint.interval`): a dashed vertical mark at each
    // start, so a dip in the series can be matched to its checkpoint.
    var marks: [SVGChart.Mark] = []
    for side in sides {
      guard let series = WorkloadSeries.group(side.input.file).first(where: { $0.displayName == workload })
      else {
        continue
      }
      for (index, run) in series.runs.enumerated() {
        let intervals = WorkloadSeries.measuredPhase(run)?.intervals ?? []
        for checkpoint in WorkloadSeries.measuredPhase(run)?.checkpoints ?? [] {
          marks.append(
            SVGChart.Mark(
              x: checkpoint.startSeconds, color: side.color,
              label: "\(side.input.name): checkpoint \(checkpoint.number) (\(checkpoint.kind)"
                + "\(checkpoint.includesIndex ? " + index" : "")) started at \(String(format: "%.1f", checkpoint.startSeconds)) s, "
                + "took \(String(format: "%.3f", checkpoint.durationSeconds)) s"))
        }
        lines.append(
          SVGChart.Line(
            name: index == 0 ? side.input.name : "", color: side.color,
            points: intervals.map { ($0.endSeconds, $0.operationsPerSecond) }, dashed: side.isBaseline,
            opacity: 0.7))
      }
    }
    return SVGChart.lines(
      title: "\(workload): throughput over time", lines: lines,
      x: SVGChart.Axis(label: "seconds", includes: 0) { String(format: "%g", $0) },
      y: SVGChart.Axis(label: "ops/s", includes: 0), marks: marks)
  }

  private func historySection() -> String {
    let suite = history.last!.suite
    let entries = history.filter { $0.suite == suite }
    var names: [String] = []
    for entry in entries {
      for name in entry.throughput.keys.sorted() where !names.contains(name) { names.append(name) }
    }
    var lines: [SVGChart.Line] = []
    for (index, name) in names.enumerated() {
      let values = entries.compactMap { $0.throughput[name] }
      let center = SampleStatistics.median(values)
      guard center > 0 else { continue }
      let points = entries.enumerated().compactMap { position, entry -> (x: Double, y: Double)? in
        entry.throughput[name].map { (Double(position + 1), 100 * $0 / center) }
      }
      lines.append(SVGChart.Line(name: name, color: SVGChart.color(index), points: points))
    }
    let flagged = entries.enumerated().filter { $0.element.regressions > 0 }.map { $0.offset + 1 }
    var section = "<h2>History: suite \(SVGChart.escape(suite))</h2>\n<p>\(entries.count) runs, "
    section += "from \(SVGChart.escape(entries.first!.time)) to \(SVGChart.escape(entries.last!.time)). "
    section += "Each workload's median throughput relative to its own median over the history (100%)."
    if !flagged.isEmpty {
      section += " Runs with a regression: \(flagged.map(String.init).joined(separator: ", "))."
    }
    section += "</p>\n"
    section += SVGChart.lines(
      title: "Throughput trend (% of each workload's history median)", lines: lines,
      x: SVGChart.Axis(label: "run (oldest first)") { String(format: "%.0f", $0) },
      y: SVGChart.Axis(label: "% of median", includes: 100) { String(format: "%.0f%%", $0) }, width: 900,
      height: 320)
    return section + "\n"
  }
}
