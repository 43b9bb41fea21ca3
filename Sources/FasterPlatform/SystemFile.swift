#if canImport(Glibc)
  import Glibc
#endif

/// Reads small kernel-provided files (`/proc`, `/sys`) whole.
///
/// Files under `/proc` report a size of 0, so this reads until end of file rather than trusting
/// `stat`. Not for the hot path: each call opens the file and allocates.
///
/// Thread safety: stateless; safe from any thread.
enum SystemFile {
  /// The file's bytes, or nil when it cannot be opened or read.
  static func readBytes(_ path: String, limitBytes: Int = 64 << 20) -> [UInt8]? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var contents: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 << 10)
    while contents.count < limitBytes {
      // Safety: `chunk` is a live array of `chunk.count` bytes for the duration of the closure.
      let readCount = chunk.withUnsafeMutableBytes { buffer in
        read(descriptor, buffer.baseAddress, buffer.count)
      }
      if readCount < 0 {
        if errno == EINTR { continue }
        return nil
      }
      if readCount == 0 { break }
      contents.append(contentsOf: chunk[0..<readCount])
    }
    return contents
  }

  /// The file decoded as UTF-8 (invalid bytes repaired), or nil when it cannot be read.
  static func readString(_ path: String) -> String? {
    guard let bytes = readBytes(path) else { return nil }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The value after `key` and a colon on the first line that starts with `key`, trimmed
  /// (`"model name\t: AMD EPYC"` -> `"AMD EPYC"`).
  static func value(forKey key: String, in text: String) -> String? {
    for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
      guard line.hasPrefix(key), let colon = line.firstIndex(of: ":") else { continue }
      let name = line[line.startIndex..<colon].trimmingWhitespace()
      guard name == key else { continue }
      return String(line[line.index(after: colon)...].trimmingWhitespace())
    }
    return nil
  }

  /// Parses a kernel CPU or node list such as `"0-3,8,10-11"` into sorted, unique numbers.
  /// Returns nil on malformed text; an empty or all-whitespace list gives `[]`.
  static func parseList(_ text: String) -> [Int]? {
    var numbers: Set<Int> = []
    for part in text.trimmingWhitespace().split(separator: ",") {
      let range = part.trimmingWhitespace()
      if range.isEmpty { continue }
      let bounds = range.split(separator: "-", omittingEmptySubsequences: false)
      switch bounds.count {
      case 1:
        guard let single = Int(bounds[0]), single >= 0 else { return nil }
        numbers.insert(single)
      case 2:
        guard let low = Int(bounds[0]), let high = Int(bounds[1]), low >= 0, low <= high,
          high - low < 1 << 20
        else { return nil }
        numbers.formUnion(low...high)
      default:
        return nil
      }
    }
    return numbers.sorted()
  }
}

extension StringProtocol {
  /// The text without leading and trailing spaces, tabs and newlines.
  func trimmingWhitespace() -> Substring {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
    let text = Substring(self)
    guard let first = text.firstIndex(where: { !isSpace($0) }) else { return text[text.endIndex...] }
    let last = text.lastIndex(where: { !isSpace($0) })!
    return text[first...last]
  }
}
