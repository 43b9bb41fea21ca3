/// The read cache's counters and markers (`FasterKVStatistics.readCache`).
public struct ReadCacheStatistics: Codable, Sendable, Equatable {
  public var memoryBytes: Int
  public var pageSizeBytes: Int
  /// Reads (and RMWs) served from a cached copy.
  public var hits: UInt64
  /// Records read from the device and cached.
  public var inserts: UInt64
  /// Hits in the oldest share of the cache that copied the record to its tail.
  public var secondChanceCopies: UInt64
  /// Copies not cached: no free page at that moment, or the chain changed meanwhile.
  public var failedInserts: UInt64
  /// Hash entries unlinked from a cached record when its page left the cache (records
  /// already unlinked by an update are not counted).
  public var evictedEntries: UInt64
  public var headAddress: UInt64
  public var tailAddress: UInt64

  public init(
    memoryBytes: Int, pageSizeBytes: Int, hits: UInt64, inserts: UInt64, secondChanceCopies: UInt64,
    failedInserts: UInt64, evictedEntries: UInt64, headAddress: UInt64, tailAddress: UInt64
  ) {
    self.memoryBytes = memoryBytes
    self.pageSizeBytes = pageSizeBytes
    self.hits = hits
    self.inserts = inserts
    self.secondChanceCopies = secondChanceCopies
    self.failedInserts = failedInserts
    self.evictedEntries = evictedEntries
    self.headAddress = headAddress
    self.tailAddress = tailAddress
  }
}
