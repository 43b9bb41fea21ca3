import YCSB

/// The `lmdb.*` properties: the lmdb binding's map size and sync modes. Unknown `lmdb.*`
/// names and malformed values are errors (``ConfigurationError``).
public struct LMDBKnobs: Sendable, Equatable {
  /// `lmdb.mapsize`: the memory map's size, the database's upper bound. Default: derived
  /// from the records the run may hold (at least 1 GiB; see ``LMDBBinding``).
  public var mapSizeBytes: Int?
  /// `lmdb.nosync`: MDB_NOSYNC, no fsync at commit. Default on (a benchmark, not a database of record).
  public var noSync = true
  /// `lmdb.nometasync`: MDB_NOMETASYNC, no fsync of the meta page at commit. Default off.
  public var noMetaSync = false
  /// `lmdb.writemap`: MDB_WRITEMAP, writes through a writable memory map. Default off.
  public var writeMap = false
  /// `lmdb.path`: the directory the environment's directory is made in (removed after the
  /// run). Default: the system's temporary directory.
  public var path: String?

  public static let acceptedForms: [(name: String, form: String)] = [
    ("lmdb.mapsize", ByteSize.acceptedForm + ", at least 1m (the database's upper bound)"),
    ("lmdb.nosync", "on or off (MDB_NOSYNC)"),
    ("lmdb.nometasync", "on or off (MDB_NOMETASYNC)"),
    ("lmdb.writemap", "on or off (MDB_WRITEMAP)"),
    ("lmdb.path", "a directory (the environment is made in a fresh subdirectory, removed after the run)"),
  ]

  public static var knownNames: Set<String> { Set(acceptedForms.map(\.name)) }

  public init() {}

  /// - Throws: ``ConfigurationError`` for an unknown `lmdb.*` name or a malformed value.
  public init(properties: Properties) throws(ConfigurationError) {
    let parser = try PrefixedKnobParser(
      properties: properties, prefix: "lmdb.", acceptedForms: Self.acceptedForms)
    mapSizeBytes = try parser.size("lmdb.mapsize", minimum: 1 << 20)
    noSync = try parser.flag("lmdb.nosync") ?? noSync
    noMetaSync = try parser.flag("lmdb.nometasync") ?? noMetaSync
    writeMap = try parser.flag("lmdb.writemap") ?? writeMap
    path = try parser.path("lmdb.path")
  }
}
