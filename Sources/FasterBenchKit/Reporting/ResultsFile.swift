import Foundation

/// The `--json` results file (schema documented in results/README.md). Version 1 holds one or
/// more ``RunRecord``s under `runs`; version 2 stores each latency histogram as base64 of
/// HdrHistogram's compressed V2 encoding (``LatencyRecord``), may mark a run `interrupted`,
/// and records operation errors (`errors`). Version 3 adds background checkpoints (a phase's
/// `checkpoints`, a run's `checkpointFailure`, `knobs.checkpoint`) and `recovery` (the
/// `recover` command). Versions 1 to 3 load; later ones are refused.
public struct ResultsFile: Codable, Sendable {
  public static let currentSchemaVersion = 3

  public var schemaVersion: Int
  /// Always `"fasterbench"`.
  public var tool: String
  /// ISO 8601, UTC.
  public var createdAt: String
  public var runs: [RunRecord]

  public init(runs: [RunRecord], createdAt: Date = Date()) {
    schemaVersion = Self.currentSchemaVersion
    tool = "fasterbench"
    self.createdAt = ISO8601DateFormatter().string(from: createdAt)
    self.runs = runs
  }

  public func encoded() throws -> Data {
    try JSONEncoderFactory.results().encode(self)
  }

  public static func decode(_ data: Data) throws -> ResultsFile {
    try JSONDecoderFactory.plain().decode(ResultsFile.self, from: data)
  }

  /// Writes the file at `path`; a path that is a directory (existing, or ending in `/`) gets a
  /// generated name inside it. Creates missing directories. Returns the path written.
  ///
  /// - Throws: ``AtomicFileWriter/WriteError`` naming the path and what to do.
  @discardableResult
  public func write(to path: String) throws -> String {
    var isDirectory: ObjCBool = false
    var target = path
    let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
    if path.hasSuffix("/") || (exists && isDirectory.boolValue) {
      let run = runs.first
      let stamp = createdAt.replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "-", with: "")
      let name = "\(run?.command ?? "run")-\(run?.binding ?? "binding")-\(stamp).json"
      target = (path as NSString).appendingPathComponent(name)
    }
    // Atomic: a full disk or a signal leaves the previous file (or none), never a truncated one.
    try AtomicFileWriter.write(encoded(), to: target)
    return target
  }
}
