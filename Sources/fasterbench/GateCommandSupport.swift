import ArgumentParser
import FasterBenchKit
import Foundation

/// Shared pieces of the gate's subcommands: reading inputs, reporting a ``GateError`` with its
/// exit code.
enum GateCommandSupport {
  /// Prints `error` on stderr and returns the exit code to throw.
  static func fail(_ error: GateError) -> ExitCode {
    StatusSink.standardError.write("fasterbench: error: \(error.description)")
    return ExitCode(error.exitCode.rawValue)
  }

  /// Runs `body`, turning a thrown ``GateError`` into its exit code.
  static func run(_ body: () throws -> Void) throws {
    do {
      try body()
    } catch let error as GateError {
      throw fail(error)
    }
  }

  /// Loads results from files or folders (a folder contributes its `*.json` files in name order).
  static func loadResults(_ paths: [String]) throws(GateError) -> ResultsFile {
    var files: [String] = []
    for path in paths {
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
          .filter { $0.hasSuffix(".json") }.sorted()
        guard !names.isEmpty else { throw GateError(.input, "folder \(path) holds no .json results files") }
        files += names.map { (path as NSString).appendingPathComponent($0) }
      } else {
        files.append(path)
      }
    }
    return try ResultsLoader.loadAll(paths: files)
  }

  /// The thresholds: the file (`results/thresholds.toml` when present and none is given), then
  /// each `--threshold`.
  static func thresholds(file: String?, arguments: [String]) throws(GateError) -> GateThresholds {
    var thresholds = GateThresholds()
    if let file {
      thresholds = try GateThresholds.load(path: file)
    } else if FileManager.default.fileExists(atPath: defaultThresholdsPath) {
      thresholds = try GateThresholds.load(path: defaultThresholdsPath)
    }
    for argument in arguments { try thresholds.apply(argument: argument) }
    return thresholds
  }

  static let defaultThresholdsPath = "results/thresholds.toml"
}
