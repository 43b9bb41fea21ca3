import Foundation

/// YCSB's `exporter` property: the form of the final report. `TextMeasurementsExporter` (the
/// default) prints `[READ], Operations, 1000` lines; `JSONMeasurementsExporter` writes one JSON
/// object per line of the text form, `{"metric" : "READ", "measurement" : "Operations",
/// "value" : 1000}`, one after another; `JSONArrayMeasurementsExporter` writes the same objects
/// as one JSON array. With `exportfile` the report goes to that file instead of stdout.
public enum MeasurementsExporter: String, Sendable, CaseIterable {
  case text = "site.ycsb.measurements.exporter.TextMeasurementsExporter"
  case json = "site.ycsb.measurements.exporter.JSONMeasurementsExporter"
  case jsonArray = "site.ycsb.measurements.exporter.JSONArrayMeasurementsExporter"

  /// Accepts YCSB's class names, old `com.yahoo.ycsb.` ones, and the bare class name.
  public init?(property value: String) {
    let className = value.split(separator: ".").last.map(String.init) ?? value
    guard let match = Self.allCases.first(where: { $0.rawValue.hasSuffix("." + className) }) else {
      return nil
    }
    self = match
  }

  /// The report in this form: `lines` are the text report's `[metric], measurement, value` lines.
  public func render(_ lines: [String]) -> String {
    guard self != .text else { return lines.map { $0 + "\n" }.joined() }
    let objects = lines.compactMap { line -> String? in
      let parts = line.split(separator: ", ", maxSplits: 2, omittingEmptySubsequences: false)
      guard parts.count == 3, parts[0].hasPrefix("["), parts[0].hasSuffix("]") else { return nil }
      let metric = parts[0].dropFirst().dropLast()
      // Jackson's DefaultPrettyPrinter layout, as YCSB's exporters write it.
      return "{\n  \"metric\" : \(Self.quoted(metric)),\n  \"measurement\" : \(Self.quoted(parts[1])),\n"
        + "  \"value\" : \(Self.number(parts[2]))\n}"
    }
    switch self {
    case .jsonArray: return "[ " + objects.joined(separator: ", ") + " ]\n"
    default: return objects.joined(separator: " ") + "\n"
    }
  }

  private static func quoted(_ text: Substring) -> String {
    var result = "\""
    for character in text {
      switch character {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      default: result.append(character)
      }
    }
    return result + "\""
  }

  /// A JSON number: the text form's value when it is one (it always is), else 0.
  private static func number(_ text: Substring) -> String {
    guard let value = Double(text), value.isFinite else { return "0" }
    return text.contains("e") || text.contains("E") ? String(value) : String(text)
  }
}
