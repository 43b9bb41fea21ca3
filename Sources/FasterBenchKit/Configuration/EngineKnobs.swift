import FasterCore
import FasterPlatform
import FasterStorage
import Foundation
import YCSB

/// The `faster.*` properties: every engine and binding knob the benchmark accepts, parsed and
/// validated. A knob left unset is `nil` and takes the engine's default (or, for the index and
/// log sizes, a size derived from the workload; see ``BenchmarkConfiguration``).
///
/// Unknown `faster.*` names and malformed values are errors (``ConfigurationError``) naming the
/// property and the accepted form: a typo in a knob must never silently fall back to a default.
public struct EngineKnobs: Sendable, Equatable {
  /// `faster.index.size`: hash index size in bytes (a power of two, at least 64).
  public var indexSizeBytes: Int?
  /// `faster.log.memory`: in-memory log size in bytes (a power-of-two multiple of the page size).
  public var logMemoryBytes: Int?
  /// `faster.log.pagesize`: log page size in bytes (a power of two, 4 KiB ... 1 GiB).
  public var pageSizeBytes: Int?
  /// `faster.log.mutablefraction`: the share of in-memory log kept mutable, in (0, 1].
  public var mutableFraction: Double?
  /// `faster.pinning`: how worker threads are pinned to CPUs. Default `compact`.
  public var pinning: PinningPolicy
  /// `faster.hugepages`: request transparent huge pages for log pages and the index. Default on.
  public var hugePages: Bool
  /// `faster.refreshinterval`: operations between epoch refreshes inside the engine.
  public var refreshInterval: Int?
  /// `faster.record`: record layout. Default `ycsb`.
  public var record: RecordMode
  /// `faster.completependinginterval`: operations between `completePending(wait: false)` calls
  /// made by the runner. Default 1600.
  public var completePendingInterval: Int
  /// `faster.device`: the disk tier's device (the library's `DeviceKind`), or nil for
  /// `none`, the default (memory only: a full log is an error).
  public var device: DeviceKind?
  /// `faster.path`: the directory for the log's segment files. Default: a fresh temporary
  /// directory, removed after the run.
  public var path: String?
  /// `faster.log.segmentsize`: bytes per segment file (a power of two >= the page size).
  public var segmentSizeBytes: Int?
  /// `faster.device.queuedepth`: in-flight I/Os per device. Default 64.
  public var queueDepth: Int?
  /// `faster.pendingwait`: wait for each pending operation right away (its latency then
  /// includes the I/O) instead of completing pending operations every
  /// `faster.completependinginterval` operations. Default off.
  public var waitForPending: Bool
  /// `faster.batch`: operations each worker takes from its stream at a time; consecutive reads,
  /// updates or read-modify-writes among them run as one batched call on the binding (the
  /// engine's prefetching pipeline). 1, the default, runs every operation on its own.
  public var batchSize: Int

  /// The largest `faster.batch` accepted: the window's buffers are allocated per worker.
  public static let maximumBatchSize = 4096
  /// `faster.compaction`: background compaction (needs a device). Default off.
  public var compaction: Bool = false
  /// `faster.compaction.maxdiskbytes`: compact when the log on the device exceeds this.
  public var compactionMaxDiskBytes: Int?
  /// `faster.compaction.minlivefraction`: compact when the sampled live share of the
  /// oldest part of the device log falls below this.
  public var compactionMinLiveFraction: Double?
  /// `faster.compaction.fraction`: the share of the device log each compaction takes.
  public var compactionFraction: Double?
  /// `faster.compaction.method`: lookup or scan.
  public var compactionMethod: CompactionMethod?
  /// `faster.compaction.interval`: milliseconds between policy checks.
  public var compactionIntervalMilliseconds: Int?
  /// `faster.checkpoint.interval`: seconds between background checkpoints in the measured
  /// phase; 0 (the default) = no checkpoints.
  public var checkpointIntervalSeconds: Double = 0
  /// `faster.checkpoint.kind`: what each checkpoint writes for the log. Default fold-over.
  public var checkpointKind: CheckpointKind = .foldOver
  /// `faster.checkpoint.index`: every Nth checkpoint of a run also checkpoints the index;
  /// the first always does, 0 = only the first. Default 1 (every checkpoint is full).
  public var checkpointIndexEvery: Int = 1
  /// `faster.checkpoint.dir`: where the checkpoint files go. Default: `checkpoints` in the
  /// log directory, so a temporary log directory takes its checkpoints with it.
  public var checkpointDirectory: String?
  /// `faster.checkpoint.keep`: checkpoints retained (the engine's `checkpointsToKeep`).
  public var checkpointsToKeep: Int?
  /// `faster.readcache.enabled`: the read cache (needs a device). Default off.
  public var readCache: Bool = false
  /// `faster.readcache.memory`: the read cache's memory. Default: the library's (256 MiB).
  public var readCacheMemoryBytes: Int?
  /// `faster.readcache.pagesize`: the read cache's page size. Default: the library's (4 MiB).
  public var readCachePageSizeBytes: Int?
  /// `faster.readcache.secondchancefraction`: the oldest share of the read cache where a
  /// hit copies the record to its tail. Default 0.1.
  public var readCacheSecondChanceFraction: Double?

  /// Every `faster.*` property name this version understands, with its accepted form.
  public static let acceptedForms: [(name: String, form: String)] = [
    ("faster.index.size", ByteSize.acceptedForm + ", a power of two >= 64"),
    ("faster.log.memory", ByteSize.acceptedForm + ", a power-of-two multiple of the page size"),
    ("faster.log.pagesize", ByteSize.acceptedForm + ", a power of two from 4k to 1g"),
    ("faster.log.mutablefraction", "a number in (0, 1], e.g. 0.9"),
    ("faster.pinning", "none, compact or spread"),
    ("faster.hugepages", "on or off"),
    ("faster.refreshinterval", "a positive integer (operations between epoch refreshes)"),
    ("faster.record", "compact (8-byte keys and values) or ycsb (YCSB byte records)"),
    ("faster.completependinginterval", "a positive integer (operations between completePending calls)"),
    ("faster.device", "none (memory only), null, file or uring"),
    ("faster.path", "a directory for the log files (created if missing)"),
    ("faster.log.segmentsize", ByteSize.acceptedForm + ", a power of two >= the page size"),
    ("faster.device.queuedepth", "a positive integer (in-flight I/Os)"),
    ("faster.pendingwait", "on or off"),
    ("faster.batch", "an integer from 1 (one operation at a time) to \(maximumBatchSize)"),
    ("faster.compaction", "on or off (background compaction; needs faster.device)"),
    ("faster.compaction.maxdiskbytes", ByteSize.acceptedForm + " (compact when the device log is larger)"),
    (
      "faster.compaction.minlivefraction", "a number in (0, 1] (compact when the sampled live share is lower)"
    ),
    (
      "faster.compaction.fraction", "a number in (0, 1] (share of the device log per compaction; default 0.5)"
    ),
    ("faster.compaction.method", "lookup or scan"),
    ("faster.compaction.interval", "a positive integer (milliseconds between policy checks; default 100)"),
    (
      "faster.checkpoint.interval",
      "seconds between checkpoints, 0 (off, the default) to \(Int(maximumCheckpointIntervalSeconds)); needs faster.device"
    ),
    ("faster.checkpoint.kind", checkpointKindsAcceptedForm),
    (
      "faster.checkpoint.index",
      "an integer >= 0: every Nth checkpoint also checkpoints the index (the first always does; 0 = only the first; default 1)"
    ),
    (
      "faster.checkpoint.dir",
      "a directory for the checkpoint files (default: checkpoints/ in the log directory)"
    ),
    ("faster.checkpoint.keep", "a positive integer (checkpoints retained; default 2)"),
    ("faster.readcache.enabled", "on or off (the read cache; needs faster.device)"),
    ("faster.readcache.memory", ByteSize.acceptedForm + ", a power of two of at least 4 read-cache pages"),
    ("faster.readcache.pagesize", ByteSize.acceptedForm + ", a power of two from 4k to 1g"),
    ("faster.readcache.secondchancefraction", "a number in [0, 1) (default 0.1)"),
  ]

  public static var knownNames: Set<String> { Set(acceptedForms.map(\.name)) }

  /// Defaults: everything unset, pinning compact, huge pages on, ycsb records, pending every 1600.
  public init() {
    pinning = .compact
    hugePages = true
    record = .ycsb
    completePendingInterval = 1600
    device = nil
    waitForPending = false
    batchSize = 1
  }

  /// Parses every `faster.*` property of `properties`.
  ///
  /// - Throws: ``ConfigurationError`` for an unknown `faster.*` name or a malformed value.
  public init(properties: Properties) throws(ConfigurationError) {
    self.init()
    let known = Self.knownNames
    for name in properties.names where name.hasPrefix("faster.") && !known.contains(name) {
      let list = Self.acceptedForms.map(\.name).joined(separator: ", ")
      throw ConfigurationError("unknown engine knob \(name): the faster.* properties are \(list)")
    }
    func form(_ name: String) -> String { Self.acceptedForms.first { $0.name == name }!.form }
    func size(_ name: String) throws(ConfigurationError) -> Int? {
      guard let text = properties[name] else { return nil }
      guard let bytes = ByteSize.parse(text), bytes > 0 else {
        throw .malformed(name, text, expected: form(name))
      }
      return bytes
    }
    func positiveInteger(_ name: String) throws(ConfigurationError) -> Int? {
      guard let text = properties[name] else { return nil }
      guard let value = Int(text.trimmingCharacters(in: .whitespaces)), value > 0 else {
        throw .malformed(name, text, expected: form(name))
      }
      return value
    }

    indexSizeBytes = try size("faster.index.size")
    if let bytes = indexSizeBytes, bytes < 64 || bytes & (bytes - 1) != 0 {
      throw .malformed(
        "faster.index.size", properties["faster.index.size"]!, expected: form("faster.index.size"))
    }
    pageSizeBytes = try size("faster.log.pagesize")
    if let bytes = pageSizeBytes, bytes < 4096 || bytes > 1 << 30 || bytes & (bytes - 1) != 0 {
      throw .malformed(
        "faster.log.pagesize", properties["faster.log.pagesize"]!, expected: form("faster.log.pagesize"))
    }
    logMemoryBytes = try size("faster.log.memory")
    if let bytes = logMemoryBytes, bytes & (bytes - 1) != 0 || bytes < (pageSizeBytes ?? 4096) {
      throw .malformed(
        "faster.log.memory", properties["faster.log.memory"]!, expected: form("faster.log.memory"))
    }
    if let text = properties["faster.log.mutablefraction"] {
      guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value > 0, value <= 1 else {
        throw .malformed("faster.log.mutablefraction", text, expected: form("faster.log.mutablefraction"))
      }
      mutableFraction = value
    }
    if let text = properties["faster.pinning"] {
      guard let policy = PinningPolicy(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased())
      else {
        throw .malformed("faster.pinning", text, expected: form("faster.pinning"))
      }
      pinning = policy
    }
    if let text = properties["faster.hugepages"] {
      switch text.trimmingCharacters(in: .whitespaces).lowercased() {
      case "on", "true", "yes", "1": hugePages = true
      case "off", "false", "no", "0": hugePages = false
      default: throw .malformed("faster.hugepages", text, expected: form("faster.hugepages"))
      }
    }
    refreshInterval = try positiveInteger("faster.refreshinterval")
    if let text = properties["faster.record"] {
      guard let mode = RecordMode(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
        throw .malformed("faster.record", text, expected: form("faster.record"))
      }
      record = mode
    }
    completePendingInterval = try positiveInteger("faster.completependinginterval") ?? completePendingInterval
    if let text = properties["faster.device"] {
      let name = text.trimmingCharacters(in: .whitespaces).lowercased()
      if name == "none" {
        device = nil
      } else {
        guard let kind = DeviceKind(rawValue: name) else {
          throw .malformed("faster.device", text, expected: form("faster.device"))
        }
        device = kind
      }
    }
    if let text = properties["faster.path"] {
      let trimmed = text.trimmingCharacters(in: .whitespaces)
      guard !trimmed.isEmpty else { throw .malformed("faster.path", text, expected: form("faster.path")) }
      path = trimmed
    }
    segmentSizeBytes = try size("faster.log.segmentsize")
    if let bytes = segmentSizeBytes, bytes & (bytes - 1) != 0 || bytes < (pageSizeBytes ?? 4096) {
      throw .malformed(
        "faster.log.segmentsize", properties["faster.log.segmentsize"]!,
        expected: form("faster.log.segmentsize"))
    }
    queueDepth = try positiveInteger("faster.device.queuedepth")
    if let text = properties["faster.pendingwait"] {
      switch text.trimmingCharacters(in: .whitespaces).lowercased() {
      case "on", "true", "yes", "1": waitForPending = true
      case "off", "false", "no", "0": waitForPending = false
      default: throw .malformed("faster.pendingwait", text, expected: form("faster.pendingwait"))
      }
    }
    if let text = properties["faster.batch"] {
      guard let value = Int(text.trimmingCharacters(in: .whitespaces)), value >= 1,
        value <= Self.maximumBatchSize
      else {
        throw .malformed("faster.batch", text, expected: form("faster.batch"))
      }
      batchSize = value
    }
    try parseCompactionKnobs(properties, form: form)
    try parseCheckpointKnobs(properties, form: form)
    try parseReadCacheKnobs(properties, form: form)
  }
}

extension EngineKnobs {
  /// The `faster.compaction.*` knobs; the sub-knobs need `faster.compaction=on` and a
  /// trigger (`maxdiskbytes` or `minlivefraction`), so a forgotten switch never silently
  /// runs without compaction.
  mutating func parseCompactionKnobs(_ properties: Properties, form: (String) -> String)
    throws(ConfigurationError)
  {
    func fraction(_ name: String) throws(ConfigurationError) -> Double? {
      guard let text = properties[name] else { return nil }
      guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value > 0, value <= 1 else {
        throw .malformed(name, text, expected: form(name))
      }
      return value
    }
    if let text = properties["faster.compaction"] {
      switch text.trimmingCharacters(in: .whitespaces).lowercased() {
      case "on", "true", "yes", "1": compaction = true
      case "off", "false", "no", "0": compaction = false
      default: throw .malformed("faster.compaction", text, expected: form("faster.compaction"))
      }
    }
    if let text = properties["faster.compaction.maxdiskbytes"] {
      guard let bytes = ByteSize.parse(text), bytes > 0 else {
        throw .malformed(
          "faster.compaction.maxdiskbytes", text, expected: form("faster.compaction.maxdiskbytes"))
      }
      compactionMaxDiskBytes = bytes
    }
    compactionMinLiveFraction = try fraction("faster.compaction.minlivefraction")
    compactionFraction = try fraction("faster.compaction.fraction")
    if let text = properties["faster.compaction.method"] {
      guard let method = CompactionMethod(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased())
      else {
        throw .malformed("faster.compaction.method", text, expected: form("faster.compaction.method"))
      }
      compactionMethod = method
    }
    if let text = properties["faster.compaction.interval"] {
      guard let value = Int(text.trimmingCharacters(in: .whitespaces)), value > 0 else {
        throw .malformed("faster.compaction.interval", text, expected: form("faster.compaction.interval"))
      }
      compactionIntervalMilliseconds = value
    }
    let subKnobs = properties.names.filter { $0.hasPrefix("faster.compaction.") }.sorted()
    // Sub-knobs without the switch are a mistake; with an explicit `off` (an A/B of a
    // workload file that turns compaction on) they are kept but unused.
    if properties["faster.compaction"] == nil && !subKnobs.isEmpty {
      throw ConfigurationError(
        "\(subKnobs.joined(separator: ", ")) set but faster.compaction is not: add faster.compaction=on")
    }
    if compaction {
      guard compactionMaxDiskBytes != nil || compactionMinLiveFraction != nil else {
        throw ConfigurationError(
          "faster.compaction=on needs a trigger: faster.compaction.maxdiskbytes (e.g. 1g) or faster.compaction.minlivefraction (e.g. 0.5)"
        )
      }
      guard device != nil else {
        throw ConfigurationError(
          "faster.compaction=on needs a disk tier: set faster.device (uring or file); a memory-only log has nothing to compact"
        )
      }
    }
  }

  /// The store's automatic compaction policy these knobs ask for (nil when off).
  var autoCompactionPolicy: AutoCompactionPolicy? {
    guard compaction else { return nil }
    var policy = AutoCompactionPolicy(
      maxDeviceLogBytes: compactionMaxDiskBytes.map { UInt64($0) }, minLiveFraction: compactionMinLiveFraction
    )
    if let compactionFraction { policy.compactFraction = compactionFraction }
    if let compactionMethod { policy.method = compactionMethod }
    if let compactionIntervalMilliseconds {
      policy.checkIntervalMilliseconds = compactionIntervalMilliseconds
    }
    return policy
  }
}
