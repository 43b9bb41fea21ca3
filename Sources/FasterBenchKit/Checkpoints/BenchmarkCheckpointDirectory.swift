import Foundation

/// Where a benchmark run's checkpoints go (`faster.checkpoint.dir`).
///
/// Invariant: a run's checkpoints are the only ones in its directory. A log-only checkpoint
/// builds on the newest index checkpoint in the directory, and retention counts every
/// checkpoint there, so another run's files would mix into this run's.
enum BenchmarkCheckpointDirectory {
  /// The file name endings a checkpoint writes (see docs/checkpoint-format.md).
  static let checkpointFileSuffixes = [".meta", ".index", ".snapshot"]

  /// The directory to use, created. The default, `checkpoints` in the log directory, is
  /// emptied of checkpoint files first (they would describe a log this run overwrites); a
  /// given directory that holds checkpoints is refused rather than emptied.
  ///
  /// - Throws: ``BindingError`` naming the directory and what to do.
  static func prepare(knobs: EngineKnobs, logDirectory: String) throws(BindingError) -> String {
    let directory =
      knobs.checkpointDirectory ?? (logDirectory as NSString).appendingPathComponent("checkpoints")
    do {
      try AtomicFileWriter.createDirectory(directory)
    } catch {
      throw BindingError("the checkpoint directory (faster.checkpoint.dir): \(error.description)")
    }
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    let existing = names.filter { name in checkpointFileSuffixes.contains { name.hasSuffix($0) } }.sorted()
    guard !existing.isEmpty else { return directory }
    guard knobs.checkpointDirectory == nil else {
      throw BindingError(
        "faster.checkpoint.dir \(directory) already holds checkpoint files (\(existing.prefix(3).joined(separator: ", "))\(existing.count > 3 ? ", ..." : "")): give an empty directory or remove them, so this run's checkpoints do not mix with another's"
      )
    }
    for name in existing {
      try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(name))
    }
    return directory
  }
}
