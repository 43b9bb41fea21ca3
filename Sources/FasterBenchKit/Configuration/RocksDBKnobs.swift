import YCSB

/// The `rocksdb.*` properties: the rocksdb binding's main tuning and durability options.
/// Unknown `rocksdb.*` names and malformed values are errors (``ConfigurationError``).
public struct RocksDBKnobs: Sendable, Equatable {
  /// `rocksdb.blockcache`: the LRU block cache, bytes. Default 512 MiB.
  public var blockCacheBytes = 512 << 20
  /// `rocksdb.writebuffer`: one memtable's size, bytes. Default 64 MiB.
  public var writeBufferBytes = 64 << 20
  /// `rocksdb.compression`: block compression. Default `none` (8-byte records do not compress).
  public var compression = "none"
  /// `rocksdb.wal`: write every update to the write-ahead log first. Default on.
  public var writeAheadLog = true
  /// `rocksdb.sync`: fsync the write-ahead log on every write. Default off.
  public var sync = false
  /// `rocksdb.path`: the directory the database's own directory is made in (removed after
  /// the run). Default: the system's temporary directory.
  public var path: String?

  public static let compressions = ["none", "snappy", "lz4", "zstd"]

  public static let acceptedForms: [(name: String, form: String)] = [
    ("rocksdb.blockcache", ByteSize.acceptedForm + ", at least 1m"),
    ("rocksdb.writebuffer", ByteSize.acceptedForm + ", at least 1m"),
    ("rocksdb.compression", compressions.joined(separator: ", ")),
    ("rocksdb.wal", "on or off"),
    ("rocksdb.sync", "on or off (needs rocksdb.wal=on)"),
    ("rocksdb.path", "a directory (the database is made in a fresh subdirectory, removed after the run)"),
  ]

  public static var knownNames: Set<String> { Set(acceptedForms.map(\.name)) }

  public init() {}

  /// - Throws: ``ConfigurationError`` for an unknown `rocksdb.*` name or a malformed value.
  public init(properties: Properties) throws(ConfigurationError) {
    let parser = try PrefixedKnobParser(
      properties: properties, prefix: "rocksdb.", acceptedForms: Self.acceptedForms)
    blockCacheBytes = try parser.size("rocksdb.blockcache", minimum: 1 << 20) ?? blockCacheBytes
    writeBufferBytes = try parser.size("rocksdb.writebuffer", minimum: 1 << 20) ?? writeBufferBytes
    compression = try parser.choice("rocksdb.compression", Self.compressions) ?? compression
    writeAheadLog = try parser.flag("rocksdb.wal") ?? writeAheadLog
    sync = try parser.flag("rocksdb.sync") ?? sync
    path = try parser.path("rocksdb.path")
    if sync && !writeAheadLog {
      throw ConfigurationError(
        "property rocksdb.sync=on needs the write-ahead log: set rocksdb.wal=on, or rocksdb.sync=off")
    }
  }
}
