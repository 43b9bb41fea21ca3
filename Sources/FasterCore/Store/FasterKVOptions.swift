import FasterPlatform

/// How a `FasterKV` store is sized and tuned. Every field has an effect; `validate()`
/// rejects values out of range with a message naming the field and the accepted form.
public struct FasterKVOptions: Sendable, Equatable, Codable {
  /// Size of the hash index in bytes: a power of two, at least 64 (one 64-byte bucket of
  /// 7 entries). Rule of thumb: 64 bytes per ~4 keys (e.g. 1 GiB for 64 M keys).
  public var indexSizeBytes: Int = 1 << 26
  /// Memory for the hybrid log's page buffer: a power of two, at least two pages.
  public var logMemoryBytes: Int = 1 << 30
  /// Log page size: a power of two from 4 KiB to 1 GiB. A record must fit in a page.
  public var pageSizeBytes: Int = 1 << 25
  /// Fraction of the log memory that is mutable (updated in place), in (0, 1]. The rest,
  /// the read-only region, is updated by copying to the tail (FASTER's default 0.9).
  public var mutableFraction: Double = 0.9
  /// Whether to ask for transparent huge pages for the index and the log.
  public var hugePages: HugePagePolicy = .madvise
  /// The most sessions open at once (the epoch table's size).
  public var maxSessions: Int = 128
  /// Operations a session runs between epoch refreshes (FASTER: 64). Lower refreshes
  /// more often (more overhead, faster epoch actions); at least 1.
  public var refreshInterval: Int = 64
  /// Where checkpoints go (created if missing); nil disables checkpoints. Recovery reads
  /// checkpoints from here (`FasterKV(recoveringWith:device:token:)`).
  public var checkpointDirectory: String? = nil
  /// How many checkpoints to keep: after a checkpoint, older ones are deleted (at least 1).
  public var checkpointsToKeep: Int = 2
  /// Background compaction (`AutoCompactionPolicy`); nil (the default) compacts only on
  /// `compact(until:)`. Needs a device.
  public var autoCompaction: AutoCompactionPolicy?
  /// The read cache (records read back from the device, kept in memory); nil disables
  /// it. Useful only with a device.
  public var readCache: ReadCacheSettings?

  public init() {}

  /// The hybrid log's share of these options.
  public var logSettings: HybridLogSettings {
    HybridLogSettings(
      pageSizeBytes: pageSizeBytes, memoryBytes: logMemoryBytes, mutableFraction: mutableFraction,
      hugePages: hugePages)
  }

  /// Throws `FasterError.invalidConfiguration` naming the first bad field.
  public func validate() throws(FasterError) {
    func fail(_ message: String) -> FasterError { .invalidConfiguration(message) }
    guard indexSizeBytes >= HashBucket.sizeBytes, indexSizeBytes.nonzeroBitCount == 1 else {
      throw fail(
        "indexSizeBytes = \(indexSizeBytes): must be a power of two of at least 64 bytes (e.g. 1 << 26)")
    }
    guard pageSizeBytes >= 1 << 12, pageSizeBytes <= 1 << 30, pageSizeBytes.nonzeroBitCount == 1 else {
      throw fail("pageSizeBytes = \(pageSizeBytes): must be a power of two from 4 KiB to 1 GiB")
    }
    guard logMemoryBytes.nonzeroBitCount == 1, logMemoryBytes >= 2 * pageSizeBytes else {
      throw fail(
        "logMemoryBytes = \(logMemoryBytes): must be a power of two of at least two pages (2 x \(pageSizeBytes) bytes)"
      )
    }
    guard mutableFraction > 0, mutableFraction <= 1 else {
      throw fail("mutableFraction = \(mutableFraction): must be in (0, 1]")
    }
    guard maxSessions >= 1, maxSessions <= 1 << 16 else {
      throw fail("maxSessions = \(maxSessions): must be from 1 to 65536")
    }
    guard checkpointsToKeep >= 1 else {
      throw fail("checkpointsToKeep = \(checkpointsToKeep): must be at least 1")
    }
    if let directory = checkpointDirectory, directory.isEmpty {
      throw fail("checkpointDirectory is empty: give a directory path, or nil to disable checkpoints")
    }
    guard refreshInterval >= 1 else {
      throw fail("refreshInterval = \(refreshInterval): must be at least 1")
    }
    try autoCompaction?.validate()
    try readCache?.validate()
  }
}
