import FasterCore

/// What a FasterLog run (`fasterbench log`, or a `workload=fasterlog` entry of a suite)
/// measured beyond the gated figures of its phase: throughput in MB/s, the commits, and
/// the raw device's sequential write bandwidth at the same commit cadence, with the ratio.
public struct LogRunRecord: Codable, Sendable {
  public var producers: Int
  /// Payload bytes per entry (the stored entry adds an 8-byte header and rounds up to 8);
  /// with a size distribution, its largest entry.
  public var entryBytes: Int
  /// The entry size as given: `N`, or `uniform:MIN-MAX` (each entry's size drawn uniformly
  /// from a seeded stream per producer). Absent in files written before it existed.
  public var entrySize: String?
  /// `manual`, `bytes:<n>`, `ms:<n>` or `page`.
  public var commitPolicy: String
  /// `uring`, `file` or `null`.
  public var device: String
  public var pageSizeBytes: Int
  public var entries: UInt64
  public var payloadBytes: UInt64
  /// Bytes the log wrote to its device.
  public var deviceBytes: UInt64
  public var seconds: Double
  public var entriesPerSecond: Double
  /// Payload MB/s (10^6 bytes), committed: the run ends with a commit inside the clock.
  public var megabytesPerSecond: Double
  public var deviceMegabytesPerSecond: Double
  /// Device syncs (commits) during the run.
  public var commits: UInt64
  /// The timed commits (also the phase's `COMMIT` latency).
  public var commitLatency: LatencyRecord
  /// With a consumer (`--consumer`, `log.consumer=true`): the producer entries it saw,
  /// equal to `entries` unless the run failed (`error`).
  public var consumedEntries: UInt64?
  /// With a consumer: enqueue to visible at the consumer, nanoseconds, one value per
  /// consumed entry (also the phase's `END-TO-END` latency).
  public var endToEndLatency: LatencyRecord?
  /// The raw O_DIRECT writer's run; absent with `log.raw=false`.
  public var raw: RawBandwidthRecord?
  /// `megabytesPerSecond / raw.megabytesPerSecond`.
  public var rawRatio: Double?
  /// Why the run stopped early, if it did.
  public var error: String?

  init(_ benchmark: LogBenchmark, _ result: LogBenchmark.Result) {
    producers = benchmark.producers
    entryBytes = benchmark.entrySize.maximumBytes
    entrySize = benchmark.entrySize.name
    commitPolicy = LogBenchmark.policyName(benchmark.commitPolicy)
    device = benchmark.device.rawValue
    pageSizeBytes = benchmark.log.pageSizeBytes
    entries = result.appends
    payloadBytes = result.payloadBytes
    deviceBytes = result.deviceBytes
    seconds = result.seconds
    entriesPerSecond = result.appendsPerSecond
    megabytesPerSecond = result.megabytesPerSecond
    deviceMegabytesPerSecond = result.deviceMegabytesPerSecond
    commits = result.commits
    commitLatency = LatencyRecord(result.commitLatency)
    consumedEntries = result.consumed
    endToEndLatency = result.endToEndLatency.map { LatencyRecord($0) }
    raw = result.raw.map { RawBandwidthRecord($0, writeBytes: benchmark.rawWriteBytes) }
    rawRatio = result.rawRatio
    error = result.error
  }
}

/// The raw device writer's figures (``RawWriteBenchmark``).
public struct RawBandwidthRecord: Codable, Sendable {
  public var writeBytes: Int
  public var bytes: UInt64
  public var seconds: Double
  public var megabytesPerSecond: Double
  public var syncs: UInt64
  /// Each fdatasync, nanoseconds.
  public var syncLatency: LatencyRecord

  init(_ result: RawWriteBenchmark.Result, writeBytes: Int) {
    self.writeBytes = writeBytes
    bytes = result.bytes
    seconds = result.seconds
    megabytesPerSecond = result.megabytesPerSecond
    syncs = result.syncs
    syncLatency = LatencyRecord(result.syncLatency)
  }
}
