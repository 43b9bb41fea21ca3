/// How compaction decides which records of its range are live (FASTER C#'s
/// `CompactionType`).
public enum CompactionMethod: String, Sendable, Codable, CaseIterable {
  /// Per record, walk the key's hash chain from the index: cheap when most records of
  /// the range are live.
  case lookup
  /// First scan the range into a map of each key's newest record in it, then check only
  /// those against the index: for ranges with many stale versions of few keys.
  case scan
}
