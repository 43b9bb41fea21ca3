/// The verdicts of checkpoint files already checked during one `CheckpointCatalog.list()`
/// (problem or nil, and the file's size when it exists), so a file that several checkpoints
/// need (a shared index, the snapshot and deltas of a chain) is read and checked once.
///
/// Thread safety: none; one listing uses it on one thread.
final class CheckedFiles {
  var verdicts: [String: (problem: CheckpointProblem?, size: UInt64?)] = [:]
}
