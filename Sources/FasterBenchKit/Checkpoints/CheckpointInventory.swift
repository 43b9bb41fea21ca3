import FasterCore
import Foundation

/// What `fasterbench checkpoints list|validate` prints: the checkpoints of a directory read
/// through `CheckpointCatalog` (no store is opened), and a verdict with its exit status.
public enum CheckpointInventory {
  /// Exit statuses of `fasterbench checkpoints`.
  public enum Status: Int32, Sendable {
    /// Every checkpoint looked at is valid.
    case valid = 0
    /// At least one checkpoint is corrupt or incomplete (named in the output).
    case invalid = 1
    /// No checkpoint to look at: the directory is missing or empty, or the token is unknown.
    case notFound = 2
    /// A bad argument (a token that is not a checkpoint token).
    case usage = 64
  }

  /// One line per checkpoint, newest first, then the session commit points of each.
  public static func list(directory: String) -> (text: String, status: Status) {
    guard directoryExists(directory) else {
      return (
        "no checkpoint directory \(directory): give the store's checkpoint directory (--dir)", .notFound
      )
    }
    let listings = CheckpointCatalog(directory: directory).list()
    guard !listings.isEmpty else { return ("no checkpoints in \(directory)", .notFound) }
    var lines: [String] = []
    for listing in listings { lines += describe(listing) }
    let invalid = listings.filter { !$0.isValid }.count
    lines.append(
      "\(listings.count) checkpoint(s) in \(directory), \(listings.count - invalid) valid, \(invalid) invalid"
    )
    return (lines.joined(separator: "\n"), invalid == 0 ? .valid : .invalid)
  }

  /// Checks one checkpoint (`token`) or every one in `directory`: every checksum and every
  /// cross-reference `CheckpointCatalog.validate` checks. Ends with a `verdict:` line.
  public static func validate(directory: String, token text: String?) -> (text: String, status: Status) {
    guard directoryExists(directory) else {
      return ("verdict: no checkpoint directory \(directory)", .notFound)
    }
    let catalog = CheckpointCatalog(directory: directory)
    var tokens: [CheckpointToken] = []
    if let text {
      guard let token = CheckpointToken(text) else {
        return (
          "verdict: '\(text)' is not a checkpoint token (expected a UUID such as those `list` prints)", .usage
        )
      }
      tokens = [token]
    } else {
      let listings = catalog.list()
      guard !listings.isEmpty else { return ("verdict: no checkpoints in \(directory)", .notFound) }
      var lines: [String] = []
      var invalid = 0
      for listing in listings {
        let problems = listing.token.map { catalog.validate($0) } ?? listing.problems
        lines.append(verdictLine(token: listing.token?.description ?? "?", problems: problems))
        if !problems.isEmpty || listing.info == nil { invalid += 1 }
      }
      lines.append(
        invalid == 0
          ? "verdict: all \(listings.count) checkpoint(s) valid"
          : "verdict: \(invalid) of \(listings.count) checkpoint(s) invalid")
      return (lines.joined(separator: "\n"), invalid == 0 ? .valid : .invalid)
    }
    guard catalog.list().contains(where: { $0.token == tokens[0] }) else {
      return ("verdict: no checkpoint \(tokens[0]) in \(directory)", .notFound)
    }
    let problems = catalog.validate(tokens[0])
    let line = verdictLine(token: tokens[0].description, problems: problems)
    return (
      line + "\nverdict: " + (problems.isEmpty ? "valid" : "invalid"), problems.isEmpty ? .valid : .invalid
    )
  }

  static func verdictLine(token: String, problems: [CheckpointProblem]) -> String {
    problems.isEmpty
      ? "\(token): valid"
      : "\(token): INVALID: " + problems.map(\.description).joined(separator: "; ")
  }

  static func describe(_ listing: CheckpointListing) -> [String] {
    let token = listing.token?.description ?? "?"
    guard let info = listing.info else {
      return ["\(token)  INCOMPLETE  \(listing.sizeBytes) bytes  " + problemsText(listing.problems)]
    }
    let index = info.indexToken.map { $0 == info.token ? "own index" : "index \($0)" } ?? "no index"
    // An incremental checkpoint is a delta on top of its previous checkpoint (a chain
    // back to a full snapshot; `validate` checks every file of it).
    let delta = info.previousToken.map { "  delta on \($0)" } ?? ""
    let started = Date(timeIntervalSince1970: Double(info.startedAtNanoseconds) / 1e9)
    var lines = [
      "\(token)  \(info.kind.rawValue)\(delta)  version \(info.version)  \(listing.sizeBytes) bytes  \(index)  "
        + "log [\(info.beginAddress), \(info.finalAddress))  started \(started)  took "
        + String(format: "%.3f s", Double(info.durationNanoseconds) / 1e9) + "  "
        + (listing.isValid ? "valid" : "INVALID: " + problemsText(listing.problems))
    ]
    for point in info.commitPoints.values.sorted(by: { $0.sessionName < $1.sessionName }) {
      let pending = point.pendingSerials.isEmpty ? "" : " (pending, excluded: \(point.pendingSerials))"
      lines.append("    session \(point.sessionName): commit point serial \(point.serial)\(pending)")
    }
    return lines
  }

  static func problemsText(_ problems: [CheckpointProblem]) -> String {
    problems.map(\.description).joined(separator: "; ")
  }

  static func directoryExists(_ path: String) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
  }
}
