#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Properties in YCSB's `java.util.Properties` text format.
///
/// Format, as `Properties.load` reads it:
/// - a natural line ends at `\n`, `\r` or `\r\n`; leading spaces, tabs and form feeds are skipped;
/// - blank lines, and lines whose first non-blank character is `#` or `!`, are ignored (a comment
///   line is never continued);
/// - a line ending in an odd number of backslashes continues on the next line, whose leading
///   blanks are dropped;
/// - the key ends at the first unescaped `=`, `:` or blank; blanks around one `=` or `:` are
///   skipped; the rest of the line is the value;
/// - escapes `\t \n \r \f \uXXXX`, and `\` before any other character stands for that character.
///
/// One difference from Java, on purpose: unescaped trailing blanks are trimmed from values (Java
/// keeps them, so `requestdistribution=zipfian ` fails there with an unhelpful message).
/// A later definition of a key replaces the value and keeps the key's first position.
/// Files that are not valid UTF-8 are read as ISO 8859-1, Java's encoding for this format.
///
/// Thread safety: a value type.
public struct Properties: Sendable, Equatable {
  private var orderedNames: [String] = []
  private var values: [String: String] = [:]
  /// "file:line" of each parsed property (not part of equality).
  private var origins: [String: String] = [:]

  public init() {}

  /// Parses `text`; `source` (usually the file path) names the text in error messages.
  public init(parsing text: String, source: String) throws(WorkloadError) {
    var parser = PropertiesParser(text: text, source: source)
    while let entry = try parser.nextEntry() {
      set(entry.key, entry.value, origin: "\(source):\(entry.line)")
    }
  }

  /// Reads and parses the file at `path`.
  public static func load(path: String) throws(WorkloadError) -> Properties {
    let bytes = try readFile(path: path)
    let text: String
    if let utf8 = String(validating: bytes, as: UTF8.self) {
      text = utf8
    } else {
      text = String(bytes.map { Character(Unicode.Scalar($0)) })
    }
    return try Properties(parsing: text, source: path)
  }

  /// The value of `name`, or nil. Setting nil removes the property.
  public subscript(name: String) -> String? {
    get { values[name] }
    set {
      if let newValue {
        set(name, newValue, origin: nil)
      } else if values.removeValue(forKey: name) != nil {
        orderedNames.removeAll { $0 == name }
        origins.removeValue(forKey: name)
      }
    }
  }

  /// Property names in first-insertion order.
  public var names: [String] { orderedNames }

  /// "file:line" where `name` was defined, when it came from parsed text.
  public func origin(of name: String) -> String? { origins[name] }

  /// These properties with `overrides` applied on top (overrides win; new names go last).
  public func merging(_ overrides: Properties) -> Properties {
    var merged = self
    for name in overrides.orderedNames {
      merged.set(name, overrides.values[name]!, origin: overrides.origins[name])
    }
    return merged
  }

  public static func == (lhs: Properties, rhs: Properties) -> Bool {
    lhs.orderedNames == rhs.orderedNames && lhs.values == rhs.values
  }

  private mutating func set(_ name: String, _ value: String, origin: String?) {
    if values.updateValue(value, forKey: name) == nil {
      orderedNames.append(name)
    }
    if let origin {
      origins[name] = origin
    } else {
      origins.removeValue(forKey: name)
    }
  }

  private static func readFile(path: String) throws(WorkloadError) -> [UInt8] {
    let descriptor = open(path, O_RDONLY)
    if descriptor < 0 {
      throw WorkloadError(
        kind: .unreadableFile, location: path,
        message: "cannot open workload file: \(String(cString: strerror(errno)))")
    }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw WorkloadError(
          kind: .unreadableFile, location: path,
          message: "cannot read workload file: \(String(cString: strerror(errno)))")
      }
      if count == 0 { break }
      bytes.append(contentsOf: chunk[0..<count])
    }
    return bytes
  }
}

/// Splits properties text into logical lines and key/value pairs (see `Properties`).
struct PropertiesParser {
  private let scalars: [Unicode.Scalar]
  private let source: String
  private var position = 0
  private var lineNumber = 1

  init(text: String, source: String) {
    self.scalars = Array(text.unicodeScalars)
    self.source = source
  }

  struct Entry {
    let key: String
    let value: String
    let line: Int
  }

  mutating func nextEntry() throws(WorkloadError) -> Entry? {
    while position < scalars.count {
      skipBlanks()
      let startLine = lineNumber
      if position >= scalars.count { return nil }
      let first = scalars[position]
      if isLineEnd(first) {
        consumeLineEnd()
        continue
      }
      if first == "#" || first == "!" {
        while position < scalars.count && !isLineEnd(scalars[position]) { position += 1 }
        consumeLineEnd()
        continue
      }
      let logical = readLogicalLine()
      return try split(logical, line: startLine)
    }
    return nil
  }

  private func isBlank(_ scalar: Unicode.Scalar) -> Bool {
    scalar == " " || scalar == "\t" || scalar == "\u{0C}"
  }

  private func isLineEnd(_ scalar: Unicode.Scalar) -> Bool {
    scalar == "\n" || scalar == "\r"
  }

  private mutating func skipBlanks() {
    while position < scalars.count && isBlank(scalars[position]) { position += 1 }
  }

  private mutating func consumeLineEnd() {
    guard position < scalars.count else { return }
    if scalars[position] == "\r" {
      position += 1
      if position < scalars.count && scalars[position] == "\n" { position += 1 }
    } else if scalars[position] == "\n" {
      position += 1
    }
    lineNumber += 1
  }

  /// Reads natural lines joined by odd trailing backslashes; escapes are left in place.
  private mutating func readLogicalLine() -> [Unicode.Scalar] {
    var logical: [Unicode.Scalar] = []
    while true {
      let start = position
      while position < scalars.count && !isLineEnd(scalars[position]) { position += 1 }
      var end = position
      var backslashCount = 0
      while end - backslashCount > start && scalars[end - backslashCount - 1] == "\\" {
        backslashCount += 1
      }
      let continued = backslashCount % 2 == 1
      if continued { end -= 1 }
      logical.append(contentsOf: scalars[start..<end])
      let atEnd = position >= scalars.count
      consumeLineEnd()
      if !continued || atEnd { return logical }
      skipBlanks()
    }
  }

  private func split(_ line: [Unicode.Scalar], line lineNumber: Int) throws(WorkloadError) -> Entry {
    var index = 0
    var precedingBackslash = false
    var valueStart = line.count
    var hasSeparator = false
    while index < line.count {
      let scalar = line[index]
      if !precedingBackslash && (scalar == "=" || scalar == ":") {
        valueStart = index + 1
        hasSeparator = true
        break
      }
      if !precedingBackslash && isBlank(scalar) {
        valueStart = index + 1
        break
      }
      precedingBackslash = scalar == "\\" ? !precedingBackslash : false
      index += 1
    }
    let keyEnd = index
    while valueStart < line.count && isBlank(line[valueStart]) { valueStart += 1 }
    if !hasSeparator && valueStart < line.count && (line[valueStart] == "=" || line[valueStart] == ":") {
      valueStart += 1
      while valueStart < line.count && isBlank(line[valueStart]) { valueStart += 1 }
    }
    let key = try unescape(line[0..<keyEnd], line: lineNumber, trimTrailingBlanks: false)
    if key.isEmpty {
      throw WorkloadError(
        kind: .syntax, location: "\(source):\(lineNumber)",
        message: "a property needs a name before its value (expected name=value)")
    }
    let value = try unescape(
      line[Swift.min(valueStart, line.count)..<line.count], line: lineNumber, trimTrailingBlanks: true)
    return Entry(key: key, value: value, line: lineNumber)
  }

  private func unescape(
    _ text: ArraySlice<Unicode.Scalar>, line lineNumber: Int, trimTrailingBlanks: Bool
  ) throws(WorkloadError) -> String {
    var output: [Unicode.Scalar] = []
    var significantCount = 0
    var index = text.startIndex
    while index < text.endIndex {
      var scalar = text[index]
      index += 1
      var escaped = false
      if scalar == "\\" {
        guard index < text.endIndex else { break }
        escaped = true
        let code = text[index]
        index += 1
        switch code {
        case "t": scalar = "\t"
        case "n": scalar = "\n"
        case "r": scalar = "\r"
        case "f": scalar = "\u{0C}"
        case "u":
          var value: UInt32 = 0
          var digits = 0
          while digits < 4, index < text.endIndex, let digit = hexValue(text[index]) {
            value = value * 16 + digit
            index += 1
            digits += 1
          }
          guard digits == 4, let decoded = Unicode.Scalar(value) else {
            throw WorkloadError(
              kind: .syntax, location: "\(source):\(lineNumber)",
              message: "malformed \\uXXXX escape (expected four hexadecimal digits)")
          }
          scalar = decoded
        default: scalar = code
        }
      }
      output.append(scalar)
      if escaped || !isBlank(scalar) { significantCount = output.count }
    }
    if trimTrailingBlanks && significantCount < output.count {
      output.removeLast(output.count - significantCount)
    }
    var view = String.UnicodeScalarView()
    view.append(contentsOf: output)
    return String(view)
  }

  private func hexValue(_ scalar: Unicode.Scalar) -> UInt32? {
    switch scalar {
    case "0"..."9": return scalar.value - 0x30
    case "a"..."f": return scalar.value - 0x61 + 10
    case "A"..."F": return scalar.value - 0x41 + 10
    default: return nil
    }
  }
}
