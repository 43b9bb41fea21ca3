import Foundation

/// The text report's line about a phase's background checkpoints (a `#` comment line, which
/// YCSB parsers skip).
enum CheckpointSummary {
  /// e.g. "# checkpoints (run): 3 foldover (1 with the index), duration median 0.214 s, max
  /// 0.351 s, 412.3 MB written", or "3 (1 snapshot + 2 incremental) (...)" with several kinds;
  /// nil when the phase took none.
  static func line(_ records: [CheckpointRecord], phase: String) -> String? {
    guard let first = records.first else { return nil }
    let durations = records.map(\.durationSeconds).sorted()
    let median =
      durations.count % 2 == 1
      ? durations[durations.count / 2]
      : (durations[durations.count / 2 - 1] + durations[durations.count / 2]) / 2
    let bytes = records.reduce(UInt64(0)) { $0 &+ $1.bytesWritten }
    let withIndex = records.filter(\.includesIndex).count
    // Kinds in order of first appearance; an incremental run starts with a full snapshot.
    var kinds: [String] = []
    for record in records where !kinds.contains(record.kind) { kinds.append(record.kind) }
    let kindText =
      kinds.count == 1
      ? first.kind
      : "("
        + kinds.map { kind in "\(records.filter { $0.kind == kind }.count) \(kind)" }.joined(separator: " + ")
        + ")"
    return "# checkpoints (\(phase)): \(records.count) \(kindText) (\(withIndex) with the index), "
      + "duration median \(String(format: "%.3f", median)) s, max \(String(format: "%.3f", durations.last!)) s, "
      + "\(String(format: "%.1f", Double(bytes) / 1e6)) MB written"
  }
}
