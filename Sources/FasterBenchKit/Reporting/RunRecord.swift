import FasterPlatform

/// One `fasterbench load` or `run` invocation in the results file.
public struct RunRecord: Codable, Sendable {
  /// `load` or `run`.
  public var command: String
  /// `faster`, `dictionary` or `noop`.
  public var binding: String
  /// `compact` or `ycsb`.
  public var recordMode: String
  /// The generators' seed (an unsigned 64-bit integer); the same seed and thread count replay
  /// the same operation sequence per thread.
  public var seed: UInt64
  public var seedWasGiven: Bool
  public var threads: Int
  /// `-target` (0 = unthrottled).
  public var targetOperationsPerSecond: Double
  public var warmupSeconds: Double
  /// `maxexecutiontime` (0 = none).
  public var maxExecutionTimeSeconds: Double
  public var statusIntervalSeconds: Double
  /// `op`, `intended` or `both`.
  public var measurementInterval: String
  public var machine: MachineInfo
  public var build: BuildInfo
  /// Every property after merging config file, workload files and `-p` (knobs included).
  public var properties: [String: String]
  /// The `faster.*` knobs as parsed (unset ones absent).
  public var knobs: KnobsRecord
  public var harnessOverhead: HarnessOverhead
  /// `load` then (for `run`) `run`.
  public var phases: [PhaseRecord]
  /// What the binding reports about its store (the engine: its options and statistics).
  public var storeStatistics: JSONValue?
  /// Warnings printed during the run (unused properties, pinning failures).
  public var warnings: [String]
  /// The workload's label in a repeated or multi-workload file (`run --repeat`, `suite`, `sweep`):
  /// the workload file's name or the sweep point; absent for a single run.
  public var workload: String? = nil
  /// The 0-based repetition index within its workload, when the run was repeated.
  public var repetition: Int? = nil
  /// The signal that stopped the run early (`SIGINT`, `SIGTERM`, `SIGHUP`): its figures cover only
  /// what ran. Absent for a complete run.
  public var interrupted: String? = nil
  /// Schema 2: present when operations returned ERROR; `failed` when beyond `maxerrorrate`.
  public var errors: RunErrorSummary? = nil
  /// Schema 3: a recovery measurement (`command` `recover`): checkpoint, recovery time,
  /// bytes read and the device's sequential read speed. Absent for other runs.
  public var recovery: RecoveryRecord? = nil
  /// Schema 3: why a background checkpoint failed (`faster.checkpoint.interval`); the run
  /// then exits non-zero. Absent when every checkpoint succeeded.
  public var checkpointFailure: String? = nil
  /// A FasterLog run (`command` `log`): entry size, commit policy, MB/s, the raw device's
  /// bandwidth and the ratio. Absent for key-value runs.
  public var log: LogRunRecord? = nil

  /// Whether this is a FasterLog run rather than a key-value one.
  public var isLogRun: Bool { command == "log" }
}

/// The `faster.*` knobs as given; absent when unset (the engine default or a derived size applies;
/// the store statistics hold the effective options).
public struct KnobsRecord: Codable, Sendable, Equatable {
  public var indexSizeBytes: Int?
  public var logMemoryBytes: Int?
  public var pageSizeBytes: Int?
  public var mutableFraction: Double?
  public var pinning: String
  public var hugePages: Bool
  public var refreshInterval: Int?
  public var record: String
  public var completePendingInterval: Int
  public var device: String?
  public var path: String?
  public var segmentSizeBytes: Int?
  public var queueDepth: Int?
  public var waitForPending: Bool?
  /// `faster.batch`, recorded only when above 1 (results from before the knob stay comparable).
  public var batchSize: Int?
  /// `faster.compaction.*`, present when compaction is on.
  public var compaction: CompactionKnobsRecord? = nil
  /// Schema 3: `faster.checkpoint.*`, present when checkpoints are on.
  public var checkpoint: CheckpointKnobsRecord? = nil
  /// Schema 3: `faster.readcache.*`, present when the read cache is on.
  public var readCache: ReadCacheKnobsRecord? = nil

  public init(_ knobs: EngineKnobs) {
    indexSizeBytes = knobs.indexSizeBytes
    logMemoryBytes = knobs.logMemoryBytes
    pageSizeBytes = knobs.pageSizeBytes
    mutableFraction = knobs.mutableFraction
    pinning = knobs.pinning.rawValue
    hugePages = knobs.hugePages
    refreshInterval = knobs.refreshInterval
    record = knobs.record.rawValue
    batchSize = knobs.batchSize > 1 ? knobs.batchSize : nil
    completePendingInterval = knobs.completePendingInterval
    if let kind = knobs.device {
      device = kind.rawValue
      path = knobs.path
      segmentSizeBytes = knobs.segmentSizeBytes
      queueDepth = knobs.queueDepth
      waitForPending = knobs.waitForPending
    }
    if knobs.compaction {
      compaction = CompactionKnobsRecord(
        maxDiskBytes: knobs.compactionMaxDiskBytes, minLiveFraction: knobs.compactionMinLiveFraction,
        fraction: knobs.compactionFraction, method: knobs.compactionMethod?.rawValue,
        intervalMilliseconds: knobs.compactionIntervalMilliseconds)
    }
    if knobs.checkpointIntervalSeconds > 0 {
      checkpoint = CheckpointKnobsRecord(
        intervalSeconds: knobs.checkpointIntervalSeconds, kind: knobs.checkpointKind.rawValue,
        indexEvery: knobs.checkpointIndexEvery, directory: knobs.checkpointDirectory,
        keep: knobs.checkpointsToKeep)
    }
    if knobs.readCache {
      readCache = ReadCacheKnobsRecord(
        memoryBytes: knobs.readCacheMemoryBytes, pageSizeBytes: knobs.readCachePageSizeBytes,
        secondChanceFraction: knobs.readCacheSecondChanceFraction)
    }
  }
}

/// The `faster.readcache.*` knobs of a run with the read cache on (unset ones absent).
public struct ReadCacheKnobsRecord: Codable, Sendable, Equatable {
  public var memoryBytes: Int?
  public var pageSizeBytes: Int?
  public var secondChanceFraction: Double?
}

/// The `faster.compaction.*` knobs of a run with compaction on (unset ones absent).
public struct CompactionKnobsRecord: Codable, Sendable, Equatable {
  public var maxDiskBytes: Int?
  public var minLiveFraction: Double?
  public var fraction: Double?
  public var method: String?
  public var intervalMilliseconds: Int?
}
