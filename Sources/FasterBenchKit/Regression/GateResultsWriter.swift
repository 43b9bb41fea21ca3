import Foundation

/// Writes the results files of the gate's commands (`suite`, `sweep`, `baseline update`,
/// `run --repeat`): the results schema, keys sorted, but on one line when histograms are kept
/// (pretty-printing a dense histogram multiplies its size by about twenty), and atomically, so a
/// crash or a full disk never leaves half a file where a baseline was.
public enum GateResultsWriter {
  /// Writes `file` at `path` (a directory, existing or ending in `/`, gets a generated name) and
  /// returns the path written.
  ///
  /// - Throws: ``GateError`` (input) when the file cannot be written.
  @discardableResult
  public static func write(_ file: ResultsFile, to path: String, pretty: Bool) throws(GateError) -> String {
    var target = path
    var isDirectory: ObjCBool = false
    let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
    if path.hasSuffix("/") || (exists && isDirectory.boolValue) {
      let stamp = file.createdAt.replacingOccurrences(of: ":", with: "").replacingOccurrences(
        of: "-", with: "")
      let run = file.runs.first
      target = (path as NSString).appendingPathComponent(
        "\(run?.command ?? "run")-\(run?.binding ?? "binding")-\(stamp).json")
    }
    let encoder = pretty ? JSONEncoderFactory.results() : JSONEncoderFactory.plain()
    if !pretty { encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes] }
    var data: Data
    do {
      data = try encoder.encode(file)
    } catch {
      throw GateError(.input, "cannot encode the results for \(target): \(error)")
    }
    data.append(contentsOf: Array("\n".utf8))
    do {
      try AtomicFileWriter.write(data, to: target)  // temporary file, fsync, rename
    } catch {
      throw GateError(.input, error.description)
    }
    return target
  }
}
