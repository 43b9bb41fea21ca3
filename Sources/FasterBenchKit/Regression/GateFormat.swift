import Foundation

/// Number formatting for the gate's tables: short, fixed, locale-independent.
public enum GateFormat {
  /// A figure in its metric's unit: throughput as `1.23M`/`456.7k`, nanoseconds as `312` or `1.2k`.
  public static func value(_ value: Double, _ metric: GateMetric) -> String {
    guard value.isFinite else { return "-" }
    if metric == .throughput { return compact(value) }
    return value >= 10_000 ? compact(value) : String(format: value >= 100 ? "%.0f" : "%.1f", value)
  }

  public static func compact(_ value: Double) -> String {
    let magnitude = abs(value)
    if magnitude >= 1e9 { return String(format: "%.2fG", value / 1e9) }
    if magnitude >= 1e6 { return String(format: "%.2fM", value / 1e6) }
    if magnitude >= 1e3 { return String(format: "%.1fk", value / 1e3) }
    return String(format: "%.1f", value)
  }

  /// `+3.2%`, `-0.4%`.
  public static func percent(_ value: Double) -> String {
    guard value.isFinite else { return "-" }
    return String(format: "%+.1f%%", value)
  }

  /// `±2.1%` from a fraction.
  public static func noise(_ fraction: Double) -> String {
    String(format: "±%.1f%%", fraction * 100)
  }

  public static func pValue(_ value: Double) -> String {
    value < 0.001 ? "<0.001" : String(format: "%.3f", value)
  }

  /// Left-aligned text columns separated by two spaces; numbers right-aligned when `rightAligned`.
  public static func table(header: [String], rows: [[String]], rightAligned: Set<Int> = []) -> [String] {
    let all = [header] + rows
    let widths = (0..<header.count).map { column in all.map { $0[column].count }.max() ?? 0 }
    return all.map { row in
      row.enumerated().map { column, cell in
        let pad = String(repeating: " ", count: widths[column] - cell.count)
        return rightAligned.contains(column) ? pad + cell : cell + pad
      }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
    }
  }
}
