/// How CoreWorkload chooses the key of a read, update, scan or read-modify-write
/// (`requestdistribution`).
public enum RequestDistribution: String, CaseIterable, Sendable {
  /// Uniform over [insertstart, insertstart + insertcount - 1].
  case uniform
  /// Scrambled zipfian over the loaded keys plus the expected inserts.
  case zipfian
  /// Skewed towards the most recently inserted keys.
  case latest
  /// A hot fraction of the keys gets a hot fraction of the operations.
  case hotspot
  /// Key after key, wrapping around (shared by all threads, as in YCSB).
  case sequential
  /// Exponentially distributed distance back from the latest key.
  case exponential
}

/// How CoreWorkload chooses a scan's length (`scanlengthdistribution`).
public enum ScanLengthDistribution: String, CaseIterable, Sendable {
  case uniform, zipfian
}

/// How CoreWorkload chooses a field's length (`fieldlengthdistribution`).
/// YCSB's `histogram` (lengths read from a file) is not implemented here.
public enum FieldLengthDistribution: String, CaseIterable, Sendable {
  case constant, uniform, zipfian
}
