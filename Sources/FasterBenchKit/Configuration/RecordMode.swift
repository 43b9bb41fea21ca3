/// How a benchmark lays out its records (knob `faster.record`).
public enum RecordMode: String, Sendable, Codable, CaseIterable {
  /// 8-byte integer keys (the key number) and 8-byte values: FASTER's own benchmark shape,
  /// stored in a `FixedSizeStore<UInt64, UInt64>`.
  case compact
  /// YCSB records: key `"user" + digits`, value `fieldcount x fieldlength` bytes stored as one
  /// variable-length value. The default.
  case ycsb
}
