/// A strict reader of Prometheus's text exposition format (version 0.0.4, what promtool and
/// node_exporter's textfile collector accept), for the tests of `--metrics-file` and
/// `fasterbench textfile`: it rejects what they would reject.
///
/// Checked: `# HELP`/`# TYPE` lines, metric and label names, quoted and escaped label values,
/// float values (`NaN`, `+Inf`, `-Inf` included), one TYPE per family given before its
/// samples, a family's samples contiguous, no sample repeated.
struct PrometheusExposition {
  struct Sample: Equatable {
    var name: String
    var labels: [String: String]
    var value: Double
  }

  struct FormatError: Error, CustomStringConvertible {
    let line: Int
    let reason: String
    var description: String { "line \(line): \(reason)" }
  }

  var samples: [Sample] = []
  var types: [String: String] = [:]
  var help: [String: String] = [:]

  static var metricName: Regex<Substring> { /[a-zA-Z_:][a-zA-Z0-9_:]*/ }
  static var labelName: Regex<Substring> { /[a-zA-Z_][a-zA-Z0-9_]*/ }
  static let types = ["counter", "gauge", "histogram", "summary", "untyped"]

  init(_ text: String) throws {
    guard text.isEmpty || text.hasSuffix("\n") else { throw FormatError(line: 0, reason: "no final newline") }
    var familiesSeen: [String] = []
    var seenSeries = Set<String>()
    for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
      .enumerated()
    {
      let number = index + 1
      let line = String(rawLine)
      if line.isEmpty { continue }
      if line.hasPrefix("#") {
        let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false).map(
          String.init)
        guard parts.count >= 3, parts[0] == "#" else { continue }  // a plain comment
        let name = parts[2]
        guard name.wholeMatch(of: Self.metricName) != nil else {
          throw FormatError(line: number, reason: "bad metric name '\(name)'")
        }
        if parts[1] == "TYPE" {
          guard parts.count == 4, Self.types.contains(parts[3]) else {
            throw FormatError(line: number, reason: "bad TYPE line")
          }
          guard types[name] == nil else { throw FormatError(line: number, reason: "second TYPE for \(name)") }
          guard !samples.contains(where: { $0.name == name }) else {
            throw FormatError(line: number, reason: "TYPE for \(name) after its samples")
          }
          types[name] = parts[3]
        } else if parts[1] == "HELP" {
          guard help[name] == nil else { throw FormatError(line: number, reason: "second HELP for \(name)") }
          help[name] = parts.count == 4 ? parts[3] : ""
        }
        continue
      }
      let sample = try Self.sample(line, number: number)
      if familiesSeen.last != sample.name {
        guard !familiesSeen.contains(sample.name) else {
          throw FormatError(line: number, reason: "samples of \(sample.name) are not contiguous")
        }
        familiesSeen.append(sample.name)
      }
      let key =
        sample.name + "|"
        + sample.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        .joined(separator: ",")
      guard seenSeries.insert(key).inserted else {
        throw FormatError(line: number, reason: "duplicate series \(key)")
      }
      samples.append(sample)
    }
  }

  static func sample(_ line: String, number: Int) throws -> Sample {
    var rest = Substring(line)
    guard let name = rest.prefixMatch(of: metricName) else {
      throw FormatError(line: number, reason: "no metric name in '\(line)'")
    }
    rest = rest[name.range.upperBound...]
    var labels: [String: String] = [:]
    if rest.first == "{" {
      rest = rest.dropFirst()
      while rest.first != "}" {
        guard let label = rest.prefixMatch(of: labelName) else {
          throw FormatError(line: number, reason: "bad label name in '\(line)'")
        }
        rest = rest[label.range.upperBound...]
        guard rest.hasPrefix("=\"") else {
          throw FormatError(line: number, reason: "expected =\" in '\(line)'")
        }
        rest = rest.dropFirst(2)
        var value = ""
        while true {
          guard let character = rest.first else {
            throw FormatError(line: number, reason: "unterminated value")
          }
          rest = rest.dropFirst()
          if character == "\"" { break }
          if character == "\\" {
            guard let escaped = rest.first else { throw FormatError(line: number, reason: "dangling escape") }
            rest = rest.dropFirst()
            switch escaped {
            case "\\": value.append("\\")
            case "\"": value.append("\"")
            case "n": value.append("\n")
            default: throw FormatError(line: number, reason: "bad escape \\\(escaped)")
            }
          } else {
            value.append(character)
          }
        }
        guard labels.updateValue(value, forKey: String(label.output)) == nil else {
          throw FormatError(line: number, reason: "label \(label.output) twice")
        }
        if rest.first == "," { rest = rest.dropFirst() }
      }
      rest = rest.dropFirst()
    }
    guard rest.first == " " else { throw FormatError(line: number, reason: "no space before the value") }
    let fields = rest.split(separator: " ")
    guard fields.count == 1 || fields.count == 2 else {
      throw FormatError(line: number, reason: "bad value part")
    }
    let text = String(fields[0])
    let value: Double
    switch text {
    case "NaN": value = .nan
    case "+Inf": value = .infinity
    case "-Inf": value = -.infinity
    default:
      guard let parsed = Double(text), text.wholeMatch(of: /[-+]?[0-9.]+([eE][-+]?[0-9]+)?/) != nil else {
        throw FormatError(line: number, reason: "bad value '\(text)'")
      }
      value = parsed
    }
    if fields.count == 2, Int64(fields[1]) == nil {
      throw FormatError(line: number, reason: "bad timestamp '\(fields[1])'")
    }
    return Sample(name: String(name.output), labels: labels, value: value)
  }

  /// The samples of `name` whose labels include `labels`.
  func values(_ name: String, _ labels: [String: String] = [:]) -> [Double] {
    samples.filter { sample in
      sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value }
    }.map(\.value)
  }
}
