/// Lists and validates the checkpoints in a directory without opening a store (for
/// tooling, and for recovery's choice of checkpoint).
///
/// Thread safety: a value type; reads files only.
public struct CheckpointCatalog: Sendable {
  public let directory: String

  public init(directory: String) { self.directory = directory }

  var files: CheckpointDirectory { CheckpointDirectory(path: directory) }

  /// Every checkpoint found, newest first (by version, then start time), valid or not.
  /// Files of a checkpoint whose metadata is missing (an incomplete checkpoint) are listed
  /// last, with `info == nil`.
  public func list() -> [CheckpointListing] {
    let (tokens, names) = files.entries()
    // Files several checkpoints need (a shared index, a delta chain) are checked once.
    let checked = CheckedFiles()
    var listings = tokens.map { listing(for: $0, checked: checked) }
    listings.sort { a, b in
      let ka = (a.info?.version ?? 0, a.info?.startedAtNanoseconds ?? 0)
      let kb = (b.info?.version ?? 0, b.info?.startedAtNanoseconds ?? 0)
      return ka > kb
    }
    let known = Set(tokens)
    var orphans: [CheckpointToken: [String]] = [:]
    for name in names {
      let stem = name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? name
      guard let token = CheckpointToken(stem), !known.contains(token) else { continue }
      orphans[token, default: []].append("\(directory)/\(name)")
    }
    for (token, paths) in orphans.sorted(by: { $0.key.description < $1.key.description }) {
      let size = paths.reduce(UInt64(0)) { $0 + (files.size($1) ?? 0) }
      listings.append(
        CheckpointListing(
          info: nil, token: token,
          problems: [
            CheckpointProblem(
              file: files.metadataPath(token), offset: 0,
              reason: "no metadata file: an incomplete checkpoint (never committed)", isIncomplete: true)
          ], sizeBytes: size, files: paths))
    }
    return listings
  }

  /// Every problem of checkpoint `token` (its metadata, its snapshot file, the index file
  /// it uses); empty when it is valid.
  public func validate(_ token: CheckpointToken) -> [CheckpointProblem] {
    listing(for: token).problems
  }

  /// Parses the metadata of `token` and checks every file it needs.
  func listing(for token: CheckpointToken, checked: CheckedFiles = CheckedFiles()) -> CheckpointListing {
    let metadataPath = files.metadataPath(token)
    var paths: [String] = []
    var size: UInt64 = 0
    var problems: [CheckpointProblem] = []
    let info: CheckpointInfo?
    do throws(CheckpointError) {
      guard let bytes = try files.read(metadataPath) else {
        throw .notFound("\(metadataPath) does not exist")
      }
      paths.append(metadataPath)
      size += UInt64(bytes.count)
      info = try withCheckpointBytes(bytes) { (raw) throws(CheckpointError) in
        try CheckpointFormats.parseMetadata(raw, file: metadataPath)
      }
      guard info!.token == token else {
        throw .corrupt(
          file: metadataPath, offset: 16, reason: "holds token \(info!.token), the file name says \(token)")
      }
    } catch {
      return CheckpointListing(
        info: nil, token: token, problems: [CheckpointProblem(error, file: metadataPath)], sizeBytes: size,
        files: paths)
    }
    let checkpoint = info!
    if let path = files.logDataPath(checkpoint) {
      if let problem = checkLogData(path, of: checkpoint, own: true, &paths, &size, checked) {
        problems.append(problem)
      }
    }
    if checkpoint.kind == .incrementalSnapshot {
      // The chain it applies on top of: every predecessor's metadata and log data file.
      do throws(CheckpointError) {
        var ignoredPaths: [String] = []
        var ignoredSize: UInt64 = 0
        for member in try snapshotChain(of: checkpoint).dropLast() {
          if let problem = checkLogData(
            files.logDataPath(member)!, of: member, own: false, &ignoredPaths, &ignoredSize, checked)
          {
            problems.append(problem)
          }
        }
      } catch {
        problems.append(CheckpointProblem(error, file: metadataPath))
      }
    }
    if let indexToken = checkpoint.indexToken {
      let path = files.indexPath(indexToken)
      if let problem = check(
        path, own: indexToken == token, &paths, &size, checked,
        { bytes throws(CheckpointError) in
          let header = try CheckpointFormats.forEachIndexBlock(bytes, file: path) { _, _ in }
          guard header.token == indexToken else {
            throw .corrupt(
              file: path, offset: 16, reason: "holds token \(header.token), \(indexToken) expected")
          }
        })
      {
        problems.append(problem)
      }
    }
    return CheckpointListing(
      info: checkpoint, token: token, problems: problems, sizeBytes: size, files: paths)
  }

  /// The snapshot-kind checkpoints whose files recovery of `info` applies, oldest first:
  /// the full snapshot a delta chain starts from, its deltas, and `info` itself (just
  /// `[info]` for a snapshot). Reads the predecessors' metadata; throws if one is missing,
  /// corrupt or does not fit (token, kind, version order, page size, a loop).
  public func snapshotChain(of info: CheckpointInfo) throws(CheckpointError) -> [CheckpointInfo] {
    var chain = [info]
    var visited: Set<CheckpointToken> = [info.token]
    var current = info
    while current.kind == .incrementalSnapshot {
      guard let previousToken = current.previousToken else {
        throw .corrupt(
          file: files.metadataPath(current.token), offset: 0,
          reason: "an incremental checkpoint without the previous checkpoint it applies to")
      }
      let path = files.metadataPath(previousToken)
      let context = "checkpoint \(info.token) needs \(previousToken) (its delta chain)"
      guard visited.insert(previousToken).inserted else {
        throw .corrupt(file: path, offset: 0, reason: "\(context): the chain loops back to it")
      }
      guard let bytes = try files.read(path) else {
        throw .corrupt(file: path, offset: 0, reason: "\(context): its metadata file is missing")
      }
      let previous = try withCheckpointBytes(bytes) { (raw) throws(CheckpointError) in
        try CheckpointFormats.parseMetadata(raw, file: path)
      }
      guard previous.token == previousToken else {
        throw .corrupt(
          file: path, offset: 16, reason: "\(context): the file holds token \(previous.token)")
      }
      guard previous.kind != .foldOver, previous.version < current.version,
        previous.finalAddress <= current.finalAddress, previous.pageSizeBytes == current.pageSizeBytes
      else {
        throw .corrupt(
          file: path, offset: 0,
          reason:
            "\(context): a \(previous.kind.rawValue) checkpoint of version \(previous.version) (final address \(previous.finalAddress)) cannot precede version \(current.version) (final address \(current.finalAddress))"
        )
      }
      chain.append(previous)
      current = previous
    }
    return chain.reversed()
  }

  /// Checks the snapshot or delta file of `info` (every chunk's checksum, the header's
  /// token and version).
  private func checkLogData(
    _ path: String, of info: CheckpointInfo, own: Bool, _ paths: inout [String], _ size: inout UInt64,
    _ checked: CheckedFiles
  ) -> CheckpointProblem? {
    check(
      path, own: own, &paths, &size, checked,
      { bytes throws(CheckpointError) in
        let header = try CheckpointFormats.forEachSnapshotChunk(
          bytes, file: path, kind: info.kind == .snapshot ? .snapshot : .delta
        ) { _, _ in }
        try Self.checkHeader(header.token, header.version, file: path, against: info)
      })
  }

  static func checkHeader(
    _ token: CheckpointToken, _ version: UInt64, file: String, against info: CheckpointInfo
  ) throws(CheckpointError) {
    guard token == info.token, version == info.version else {
      throw .corrupt(
        file: file, offset: 16,
        reason: "belongs to checkpoint \(token) version \(version), not \(info.token) version \(info.version)"
      )
    }
  }

  /// Checks the file at `path` with `body` (or takes the verdict `checked` holds: a file's
  /// verdict depends only on its path, which names its checkpoint).
  private func check(
    _ path: String, own: Bool, _ paths: inout [String], _ size: inout UInt64, _ checked: CheckedFiles,
    _ body: (UnsafeRawBufferPointer) throws(CheckpointError) -> Void
  ) -> CheckpointProblem? {
    if let known = checked.verdicts[path] {
      if own, let bytes = known.size {
        paths.append(path)
        size += bytes
      }
      return known.problem
    }
    let problem = checkFile(path, own: own, &paths, &size, body)
    checked.verdicts[path] = (problem, files.size(path))  // nil size: missing
    return problem
  }

  private func checkFile(
    _ path: String, own: Bool, _ paths: inout [String], _ size: inout UInt64,
    _ body: (UnsafeRawBufferPointer) throws(CheckpointError) -> Void
  ) -> CheckpointProblem? {
    do throws(CheckpointError) {
      guard let bytes = try files.read(path) else {
        return CheckpointProblem(file: path, offset: 0, reason: "missing (deleted, or never written)")
      }
      if own {
        paths.append(path)
        size += UInt64(bytes.count)
      }
      try withCheckpointBytes(bytes) { (raw) throws(CheckpointError) in try body(raw) }
      return nil
    } catch {
      return CheckpointProblem(error, file: path)
    }
  }
}
