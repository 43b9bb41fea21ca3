/// Rejects a TOML table header that does not start with a key (`[` or `[[` then anything
/// but a bare-key character or a quote, such as `[\n`, `[[[1]]]` or `[[=`) before the text
/// reaches TOMLKit: the toml++ parser it bundles asserts on those (`parse_key`'s
/// precondition, fixed upstream in toml++ PR #301) and aborts the whole process, in release
/// builds too, instead of reporting a parse error. Found by the fuzz-workload-file target.
///
/// Lines inside multi-line strings are not headers and are skipped; everything else TOML
/// allows is left to TOMLKit.
enum TOMLTableHeaderCheck {
  /// The first bad header's line and column (1-based) and what is wrong, or nil.
  static func firstProblem(in text: String) -> (line: Int, column: Int, reason: String)? {
    var inMultilineString: [UInt8]? = nil  // the closing delimiter's quote byte
    var lineNumber = 0
    for line in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
      lineNumber += 1
      let bytes = Array(line)
      var index = 0
      if inMultilineString == nil {
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") {
          index += 1
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "[") {
          var keyStart = index + 1
          if keyStart < bytes.count, bytes[keyStart] == UInt8(ascii: "[") { keyStart += 1 }
          while keyStart < bytes.count,
            bytes[keyStart] == UInt8(ascii: " ") || bytes[keyStart] == UInt8(ascii: "\t")
          {
            keyStart += 1
          }
          guard keyStart < bytes.count, startsKey(bytes[keyStart]) else {
            return (
              lineNumber, keyStart + 1,
              "a table header must start with a bare key (letters, digits, '_', '-') or a quoted key"
            )
          }
        }
      }
      skipStrings(bytes, from: index, state: &inMultilineString)
    }
    return nil
  }

  static func startsKey(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "\""),
      UInt8(ascii: "'"):
      return true
    default: return false
    }
  }

  /// Walks one line's strings and comment, tracking whether a multi-line string (`"""` or
  /// `'''`) is still open at its end.
  static func skipStrings(_ bytes: [UInt8], from start: Int, state: inout [UInt8]?) {
    func triple(_ quote: UInt8, at index: Int) -> Bool {
      index + 2 < bytes.count && bytes[index] == quote && bytes[index + 1] == quote
        && bytes[index + 2] == quote
    }
    var index = start
    while index < bytes.count {
      if let open = state {
        if open[0] == UInt8(ascii: "\"") && bytes[index] == UInt8(ascii: "\\") {
          index += 2
          continue
        }
        if triple(open[0], at: index) {
          state = nil
          index += 3
        } else {
          index += 1
        }
        continue
      }
      let byte = bytes[index]
      if byte == UInt8(ascii: "#") { return }
      if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
        if triple(byte, at: index) {
          state = [byte]
          index += 3
          continue
        }
        index += 1
        while index < bytes.count, bytes[index] != byte {
          index += byte == UInt8(ascii: "\"") && bytes[index] == UInt8(ascii: "\\") ? 2 : 1
        }
      }
      index += 1
    }
  }
}
