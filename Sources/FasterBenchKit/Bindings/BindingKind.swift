/// The bindings `fasterbench load|run <binding>` accepts.
public enum BindingKind: String, Sendable, CaseIterable {
  /// The FasterKV engine (FasterCore): `FixedSizeStore<UInt64, UInt64>` for compact records,
  /// `VariableLengthStore` for YCSB records.
  case faster
  /// The baseline: a lock-striped Swift dictionary with the same record semantics.
  case dictionary
  /// Does nothing and succeeds: the harness alone.
  case noop
  /// RocksDB through its C API (`rocksdb.*` knobs).
  case rocksdb
  /// LMDB (`lmdb.*` knobs).
  case lmdb

  public static let acceptedForm = allCases.map(\.rawValue).joined(separator: ", ")
}
