import Foundation

/// Reads results files for the gate, turning every way a file can be unusable into a
/// ``GateError`` that names the file and what is wrong with it.
public enum ResultsLoader {
  /// - Throws: ``GateError`` (input): the file is missing, unreadable, not JSON (corrupt or
  ///   truncated), not a fasterbench results file, or holds no runs.
  public static func load(path: String) throws(GateError) -> ResultsFile {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw GateError(.input, "results file \(path) does not exist")
    }
    guard !isDirectory.boolValue else {
      throw GateError(.input, "\(path) is a directory; give a results file (.json)")
    }
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw GateError(.input, "cannot read results file \(path): \(error.localizedDescription)")
    }
    guard !data.isEmpty else { throw GateError(.input, "results file \(path) is empty") }
    do {
      _ = try JSONSerialization.jsonObject(with: data)
    } catch {
      throw GateError(
        .input, "results file \(path) is not valid JSON (corrupt or truncated, \(data.count) bytes)")
    }
    // The version first: a later schema may not decode, and its message should say why.
    if let header = try? JSONDecoder().decode(SchemaHeader.self, from: data), header.tool == "fasterbench",
      header.schemaVersion > ResultsFile.currentSchemaVersion
    {
      throw GateError(
        .input,
        "results file \(path) has schemaVersion \(header.schemaVersion); this fasterbench reads versions 1 "
          + "to \(ResultsFile.currentSchemaVersion): use the fasterbench that wrote it, or a newer one")
    }
    let file: ResultsFile
    do {
      file = try ResultsFile.decode(data)
    } catch let error as DecodingError {
      throw GateError(.input, "results file \(path) is not a fasterbench results file: \(describe(error))")
    } catch {
      throw GateError(.input, "results file \(path) is not a fasterbench results file: \(error)")
    }
    guard file.tool == "fasterbench" else {
      throw GateError(.input, "results file \(path) was written by '\(file.tool)', not fasterbench")
    }
    guard file.schemaVersion >= 1 else {
      throw GateError(
        .input, "results file \(path) has schemaVersion \(file.schemaVersion); expected 1 or later")
    }
    guard !file.runs.isEmpty else { throw GateError(.input, "results file \(path) holds no runs") }
    return file
  }

  /// Loads several files and concatenates their runs (in argument order).
  public static func loadAll(paths: [String]) throws(GateError) -> ResultsFile {
    guard !paths.isEmpty else { throw GateError(.usage, "no results file given") }
    var runs: [RunRecord] = []
    var created = ""
    for path in paths {
      let file = try load(path: path)
      runs += file.runs
      created = max(created, file.createdAt)
    }
    var merged = ResultsFile(runs: runs)
    merged.createdAt = created
    return merged
  }

  /// The fields that say which reader a file needs.
  private struct SchemaHeader: Decodable {
    var schemaVersion: Int
    var tool: String
  }

  private static func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
      let joined = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
      return joined.isEmpty ? "top level" : String(joined.drop { $0 == "." })
    }
    switch error {
    case .keyNotFound(let key, let context): return "missing field '\(key.stringValue)' at \(path(context))"
    case .typeMismatch(_, let context): return "wrong type at \(path(context)): \(context.debugDescription)"
    case .valueNotFound(_, let context): return "missing value at \(path(context))"
    case .dataCorrupted(let context): return "corrupt data at \(path(context)): \(context.debugDescription)"
    @unknown default: return "\(error)"
    }
  }
}
