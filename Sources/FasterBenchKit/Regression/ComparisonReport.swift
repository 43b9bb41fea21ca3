import Foundation

/// Renders a ``Comparison`` as a plain-text table (terminal, logs) or markdown (job summaries).
public enum ComparisonReport {
  static let header = [
    "workload", "op", "metric", "baseline", "noise", "candidate", "noise", "change", "95% CI", "p", "limit",
    "verdict",
  ]

  static func cells(_ row: ComparisonRow) -> [String] {
    [
      row.workload, row.operation, row.metric.displayName, GateFormat.value(row.baselineMedian, row.metric),
      GateFormat.noise(row.baselineNoiseFraction), GateFormat.value(row.candidateMedian, row.metric),
      GateFormat.noise(row.candidateNoiseFraction), GateFormat.percent(row.changePercent),
      "[\(GateFormat.percent((row.ratio.lower - 1) * 100)), \(GateFormat.percent((row.ratio.upper - 1) * 100))]",
      GateFormat.pValue(row.pValue), String(format: "%.0f%%", row.thresholdPercent),
      row.isAdvisory && row.verdict != .unchanged ? row.verdict.label + " (advisory)" : row.verdict.label,
    ]
  }

  /// The summary line: counts of regressions and improvements and the exit code.
  public static func summary(_ comparison: Comparison) -> String {
    let counts = Dictionary(grouping: comparison.rows.filter { !$0.isAdvisory }, by: \.verdict).mapValues(
      \.count)
    let advisory = comparison.rows.filter { $0.isAdvisory && $0.verdict != .unchanged }.count
    let mode = comparison.mode == .paired ? "paired A/B (signed-rank test)" : "unpaired (Mann-Whitney U)"
    return "\(counts[.regression] ?? 0) regression(s), \(counts[.improvement] ?? 0) improvement(s), "
      + "\(counts[.noisy] ?? 0) noisy, \(counts[.underpowered] ?? 0) too few repetitions, "
      + "\(counts[.unchanged] ?? 0) ok, \(counts[.insufficient] ?? 0) n/a, "
      + "\(advisory) advisory finding(s) of \(comparison.rows.count) rows; \(mode), alpha \(comparison.alpha); exit \(comparison.exitCode.rawValue)"
  }

  /// Lines of the text table, notes and the summary; `changesOnly` leaves out the `ok` rows.
  public static func text(_ comparison: Comparison, changesOnly: Bool = false) -> [String] {
    let rows = comparison.rows.filter { !changesOnly || $0.verdict != .unchanged }
    var lines = GateFormat.table(header: header, rows: rows.map(cells), rightAligned: [3, 4, 5, 6, 7, 9, 10])
    lines += footer(comparison)
    return lines
  }

  /// A markdown document: the table, then notes and the summary.
  public static func markdown(_ comparison: Comparison, title: String = "Performance comparison") -> String {
    var lines = ["# \(title)", "", "**\(summary(comparison))**", ""]
    lines.append("| " + header.joined(separator: " | ") + " |")
    lines.append("|" + header.map { _ in "---" }.joined(separator: "|") + "|")
    for row in comparison.rows {
      var cells = cells(row)
      if row.verdict == .regression && !row.isAdvisory { cells[11] = "**\(cells[11])**" }
      lines.append("| " + cells.joined(separator: " | ") + " |")
    }
    lines.append("")
    lines += footer(comparison).dropLast().map { "- " + $0 }
    return lines.joined(separator: "\n") + "\n"
  }

  /// One line per workload with rows that too few repetitions left undecided.
  static func underpoweredLines(_ comparison: Comparison) -> [String] {
    var seen: Set<String> = []
    var lines: [String] = []
    for row in comparison.underpowered where seen.insert(row.workload).inserted {
      let needed = row.repetitionsNeeded ?? 0
      let counts =
        comparison.mode == .paired
        ? "\(row.candidate.count) pairs" : "\(row.candidate.count) and \(row.baseline.count) repetitions"
      lines.append(
        "too few repetitions: workload \(row.workload) changed beyond its limit (\(row.metric.displayName) "
          + "\(GateFormat.percent(row.changePercent))), but \(counts) can never reach p < \(comparison.alpha); "
          + "repeat at least \(needed) times " + (comparison.mode == .paired ? "(pairs)" : "per side"))
    }
    return lines
  }

  private static func footer(_ comparison: Comparison) -> [String] {
    var lines: [String] = comparison.candidateFailures.map { "FAILED: \($0)" }
    lines += underpoweredLines(comparison)
    for name in comparison.onlyInBaseline {
      lines.append("not compared: workload \(name) is only in the baseline")
    }
    for name in comparison.onlyInCandidate {
      lines.append("not compared: workload \(name) is only in the candidate (no baseline)")
    }
    lines += comparison.notes.map { "note: " + $0 }
    let advisoryMetrics = Set(comparison.rows.filter(\.isAdvisory).map(\.metric)).sorted()
    var legend =
      "noise: robust spread (1.4826 x MAD / median) over repetitions; change: "
      + (comparison.mode == .paired ? "median pairwise ratio" : "ratio of medians")
      + "; a row fails only if p < alpha and the change is worse than its limit"
    if !advisoryMetrics.isEmpty {
      let names = advisoryMetrics.map(\.displayName).joined(separator: ", ")
      legend += "; advisory rows (\(names) against a stored baseline) never fail the gate"
    }
    lines.append(legend)
    lines.append(summary(comparison))
    return lines
  }
}
