import Foundation
import Testing

/// The library targets never write to stdout or stderr themselves: their messages go
/// through the embedding program's swift-log `Logger` (README, "Observability"). A scan of
/// their sources for the calls that would, comments excluded.
@Suite struct LibraryOutputTests {
  static let libraryTargets = ["CFasterShims", "FasterPlatform", "FasterStorage", "FasterCore"]
  /// Calls that write to the standard streams.
  static let forbidden = [
    "print(", "debugPrint(", "dump(", "FileHandle.standardOutput", "FileHandle.standardError", "fputs(",
    "fprintf(", "printf(", "puts(", "putchar(", "perror(", "stdout", "stderr", "write(1,", "write(2,",
    "STDOUT_FILENO", "STDERR_FILENO",
  ]

  static var sourcesDirectory: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Sources")
  }

  /// The offending lines of `text` (comment lines and trailing comments ignored).
  static func offendingLines(_ text: String) -> [String] {
    text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { number, line in
      let code = line.trimmingCharacters(in: .whitespaces)
      if code.hasPrefix("//") || code.hasPrefix("*") || code.hasPrefix("/*") { return nil }
      let beforeComment = code.components(separatedBy: " //").first ?? code
      for call in forbidden where beforeComment.contains(call) {
        // `fileprint(` or `sprint(` are not `print(`: the character before must not be part of a name.
        if let range = beforeComment.range(of: call), range.lowerBound > beforeComment.startIndex {
          let previous = beforeComment[beforeComment.index(before: range.lowerBound)]
          if previous.isLetter || previous.isNumber || previous == "_" { continue }
        }
        return "line \(number + 1): \(code)"
      }
      return nil
    }
  }

  @Test func theScanFindsAPrintAndSkipsComments() {
    #expect(Self.offendingLines("let a = 1\n  print(a)\n") == ["line 2: print(a)"])
    #expect(
      Self.offendingLines("/// if ok { print(value) }\n// fputs(x, stderr)\nlet x = 1 // print(x)").isEmpty)
    #expect(Self.offendingLines("FileHandle.standardError.write(data)").count == 1)
    #expect(Self.offendingLines("func blueprint(_ x: Int) {}").isEmpty)
  }

  @Test func libraryTargetsWriteNothingToStandardStreams() throws {
    var found: [String] = []
    var scanned = 0
    for target in Self.libraryTargets {
      let directory = Self.sourcesDirectory.appendingPathComponent(target)
      let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
      while let file = files?.nextObject() as? URL {
        guard ["swift", "c", "h"].contains(file.pathExtension) else { continue }
        scanned += 1
        let text = try String(contentsOf: file, encoding: .utf8)
        found += Self.offendingLines(text).map { "\(target)/\(file.lastPathComponent) \($0)" }
      }
    }
    #expect(scanned > 50, "the scan found the sources (\(scanned) files)")
    #expect(
      found.isEmpty,
      "the library writes to stdout/stderr; log through the Logger instead:\n\(found.joined(separator: "\n"))"
    )
  }
}
