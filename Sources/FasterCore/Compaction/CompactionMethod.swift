/// How compaction decides which records of its range are live (FASTER C#'s
/// `CompactionType`).
public enum CompactionMethod: String, Sendable, Codable, CaseIterable {
  /// Per record, walk the key's hash chain from the index: no extra memory, but a random
  /// device read for each chain record between a stale record and the head.
  case lookup
  /// FASTER C#'s default: scan the range into a map of each key's newest record in it,
  /// drop the keys found in a sequential scan of the stable log above the range, then
  /// copy the rest (checking only the records written since, in memory). Sequential
  /// device reads only; memory for the range's distinct keys.
  case scan
}
