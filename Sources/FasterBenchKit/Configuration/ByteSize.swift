import Foundation

/// Parses and prints sizes in bytes with binary suffixes, as the `faster.*` size knobs accept them.
///
/// `"4096"`, `"64k"`, `"64m"`, `"2g"`, `"1t"` (case-insensitive; an optional trailing `b` or `ib`
/// is allowed: `64MiB`, `64mb`). Suffixes are binary: `64m` is 64 MiB = 67,108,864 bytes.
public enum ByteSize {
  /// The accepted form, for error messages.
  public static let acceptedForm =
    "a byte count with an optional binary suffix k, m, g or t (e.g. 4096, 64m, 2g)"

  /// The number of bytes `text` denotes, or nil when it is not a size or overflows `Int`.
  public static func parse(_ text: String) -> Int? {
    var digits = Substring(text.trimmingCharacters(in: .whitespaces).lowercased())
    if digits.hasSuffix("ib") {
      digits = digits.dropLast(2)
      guard digits.last.map({ "kmgt".contains($0) }) == true else { return nil }
    } else if digits.hasSuffix("b") {
      digits = digits.dropLast()
    }
    var shift = 0
    switch digits.last {
    case "k": shift = 10
    case "m": shift = 20
    case "g": shift = 30
    case "t": shift = 40
    default: break
    }
    if shift != 0 { digits = digits.dropLast() }
    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int(digits) else {
      return nil
    }
    let (bytes, overflow) = count.multipliedReportingOverflow(by: 1 << shift)
    return overflow ? nil : bytes
  }

  /// A short human form: the largest exact binary unit (`64m`, `2g`), or the plain byte count.
  public static func format(_ bytes: Int) -> String {
    for (shift, suffix) in [(40, "t"), (30, "g"), (20, "m"), (10, "k")]
    where bytes > 0 && bytes % (1 << shift) == 0 {
      return "\(bytes >> shift)\(suffix)"
    }
    return "\(bytes)"
  }
}
