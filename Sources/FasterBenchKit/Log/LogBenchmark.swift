import FasterCore
import FasterPlatform
import FasterStorage
import Foundation
import Histogram
import YCSB

/// The FasterLog workload: `producers` threads enqueue entries of `entryBytes` for
/// `seconds` under a commit policy, and the log's throughput and commit latency are
/// measured; then (`measuresRawBandwidth`) the device's own sequential write bandwidth at
/// the same commit cadence (``RawWriteBenchmark``), so the log's MB/s is a ratio to the
/// physical limit.
///
/// Commit latency: with `.manual`, a committer thread calls `commit(wait: true)` in a loop
/// and each call is timed; with an automatic policy, a sampler thread enqueues a small
/// entry every millisecond and times how long until a commit covers it (what a producer
/// waiting for durability sees).
///
/// With `consumesEntries`, one consumer thread follows the log with a ``FasterLogIterator``
/// over committed entries (woken by commits: it waits with `waitForCommit`, which never asks
/// for one): producers stamp each entry's first 8 bytes with `monotonicNanoseconds()` just
/// before enqueueing it, and the consumer records now minus the stamp (end-to-end latency:
/// enqueue to visible at a consumer). By the end it must have seen every committed entry,
/// intact, or the run fails.
///
/// In a results file a run is a ``RunRecord`` with command `log` and binding `fasterlog`:
/// its measured phase (`log`) holds entries/s as the throughput and the commit latency as
/// operation `COMMIT`, so `compare` and `report` gate and chart it like a key-value run;
/// ``LogRunRecord`` holds the rest (MB/s, the raw bandwidth, the ratio).
///
/// Thread safety: `run` blocks the caller and starts its own threads.
public struct LogBenchmark: Sendable {
  /// The `workload` property value that marks a log workload file (for `suite`).
  public static let workloadName = "fasterlog"

  /// Producer threads.
  public var producers: Int = 2
  /// Payload bytes per entry: fixed or drawn uniformly per entry.
  public var entrySize: LogEntrySize = .fixed(100)
  /// A fixed entry size (setting it); reading it gives the largest entry of `entrySize`.
  public var entryBytes: Int {
    get { entrySize.maximumBytes }
    set { entrySize = .fixed(newValue) }
  }
  /// Seed of the per-producer streams that draw `uniform` entry sizes.
  public var seed: UInt64 = 1
  /// Run one consumer that follows the committed entries and measures end-to-end latency.
  public var consumesEntries = false
  /// Timed run length (each of the log run and the raw run).
  public var seconds: Double = 5
  /// The log's commit policy.
  public var commitPolicy: LogCommitPolicy = .everyMilliseconds(5)
  /// Device kind for the log's segment files.
  public var device: DeviceKind = .uring
  /// Directory for segment files and commit records (emptied first); the raw writer uses
  /// `<directory>-raw` beside it (the same file system).
  public var directory: String
  /// Hybrid log page size and memory.
  public var log = HybridLogSettings(pageSizeBytes: 1 << 22, memoryBytes: 1 << 25)
  /// Also measure the raw device bandwidth (``RawWriteBenchmark``).
  public var measuresRawBandwidth = true
  /// The raw writer's write size.
  public var rawWriteBytes = 1 << 20

  public init(directory: String) { self.directory = directory }

  /// The time series' resolution.
  static let statusInterval = Duration.milliseconds(100)

  /// The property names a log workload file may set, with their accepted forms.
  public static let acceptedProperties: [(name: String, form: String)] = [
    ("workload", "fasterlog"),
    ("log.producers", "threads, >= 1"),
    ("log.entrybytes", "payload bytes N (>= 0) or uniform:MIN-MAX"),
    ("log.consumer", "true or false (a consumer iterator; entries >= 8 bytes)"),
    ("log.commitpolicy", "manual, bytes:<n>, ms:<n> or page"),
    ("log.seconds", "seconds, > 0"),
    ("log.device", "uring, file or null"),
    ("log.pagesize", "bytes, a power of two"),
    ("log.memory", "bytes"),
    ("log.raw", "true or false"),
    ("log.directory", "a directory (emptied first)"),
  ]

  /// Whether `properties` describe a log workload (`workload=fasterlog`).
  public static func isLogWorkload(_ properties: Properties) -> Bool {
    properties["workload"] == workloadName
  }

  /// A benchmark from a log workload's properties (see `acceptedProperties`).
  ///
  /// - Throws: ``BindingError`` naming the first bad or unknown property.
  public init(properties: Properties) throws(BindingError) {
    let known = Set(Self.acceptedProperties.map(\.name))
    for name in properties.names where !known.contains(name) && !RunnerIgnored.names.contains(name) {
      throw BindingError(
        "unknown property \(name) for a fasterlog workload; accepted: "
          + Self.acceptedProperties.map { "\($0.name) (\($0.form))" }.joined(separator: ", "))
    }
    func integer(_ name: String, minimum: Int) throws(BindingError) -> Int? {
      guard let text = properties[name] else { return nil }
      guard let value = Int(text), value >= minimum else {
        throw BindingError("property \(name)=\(text): expected a whole number >= \(minimum)")
      }
      return value
    }
    self.init(
      directory: properties["log.directory"] ?? NSTemporaryDirectory() + "fasterbench-log-\(getpid())")
    producers = try integer("log.producers", minimum: 1) ?? producers
    if let text = properties["log.entrybytes"] {
      switch LogEntrySize.parse(text) {
      case .success(let size): entrySize = size
      case .failure(let error): throw BindingError("property log.entrybytes=\(text): \(error.description)")
      }
    }
    if let text = properties["log.seconds"] {
      guard let value = Double(text), value > 0 else {
        throw BindingError("property log.seconds=\(text): expected a positive number of seconds")
      }
      seconds = value
    }
    if let text = properties["log.commitpolicy"] {
      guard let policy = Self.parsePolicy(text) else {
        throw BindingError("property log.commitpolicy=\(text): use manual, bytes:<n>, ms:<n> or page")
      }
      commitPolicy = policy
    }
    if let text = properties["log.device"] {
      guard let kind = DeviceKind(rawValue: text) else {
        throw BindingError("property log.device=\(text): use uring, file or null")
      }
      device = kind
    }
    log.pageSizeBytes = try integer("log.pagesize", minimum: 512) ?? log.pageSizeBytes
    log.memoryBytes = try integer("log.memory", minimum: 512) ?? log.memoryBytes
    if let text = properties["log.raw"] {
      guard let value = Bool(text) else { throw BindingError("property log.raw=\(text): use true or false") }
      measuresRawBandwidth = value
    }
    if let text = properties["log.consumer"] {
      guard let value = Bool(text) else {
        throw BindingError("property log.consumer=\(text): use true or false")
      }
      consumesEntries = value
    }
    try validate()
  }

  /// The smallest entry a consumer run accepts: the enqueue timestamp fills its first 8 bytes.
  public static let stampBytes = 8

  /// Refuses settings the run cannot honour, saying which to change.
  public func validate() throws(BindingError) {
    if consumesEntries && entrySize.minimumBytes < Self.stampBytes {
      throw BindingError(
        "entry size \(entrySize.name): a consumer run (--consumer, log.consumer=true) needs entries of at least "
          + "\(Self.stampBytes) bytes (their first 8 bytes carry the enqueue timestamp); raise the entry size "
          + "or drop the consumer")
    }
    if consumesEntries && device == .null {
      throw BindingError(
        "a consumer run (--consumer, log.consumer=true) reads entries back, and the null device keeps none beyond "
          + "the log's memory (a consumer that falls behind would fail): use --device file or uring")
    }
  }

  /// Properties the workload's runs share and never identify it (the seed, the status
  /// interval, where the files go).
  enum RunnerIgnored {
    static let names: Set<String> = ["seed", "status.interval", "threadcount"]
  }

  /// The properties that identify this workload in a results file.
  public var properties: [String: String] {
    [
      "workload": Self.workloadName, "log.producers": String(producers), "log.entrybytes": entrySize.name,
      "log.commitpolicy": Self.policyName(commitPolicy), "log.seconds": String(seconds),
      "log.device": device.rawValue, "log.pagesize": String(log.pageSizeBytes),
      "log.memory": String(log.memoryBytes), "log.raw": String(measuresRawBandwidth),
    ].merging(consumesEntries ? ["log.consumer": "true"] : [:]) { first, _ in first }
  }

  /// What a run measured.
  public struct Result: Sendable {
    public var appends: UInt64
    public var payloadBytes: UInt64
    /// Bytes the log wrote to the device (headers, padding and re-written partial sectors included).
    public var deviceBytes: UInt64
    public var seconds: Double
    public var commits: UInt64
    /// Each timed commit (see the type's comment), nanoseconds.
    public var commitLatency: Histogram<UInt64>
    /// The raw device run, when measured.
    public var raw: RawWriteBenchmark.Result?
    /// Producer entries the consumer saw (nil without a consumer); equals `appends` in a
    /// run without `error`.
    public var consumed: UInt64? = nil
    /// Enqueue to visible at the consumer, nanoseconds, one value per consumed entry.
    public var endToEndLatency: Histogram<UInt64>? = nil
    /// The first error a producer or the committer saw (the run stops at it).
    public var error: String?
    /// Entries per status interval (`statusInterval`).
    public var intervals: [IntervalPoint] = []

    public var appendsPerSecond: Double { Double(appends) / seconds }
    public var megabytesPerSecond: Double { Double(payloadBytes) / seconds / 1_000_000 }
    public var deviceMegabytesPerSecond: Double { Double(deviceBytes) / seconds / 1_000_000 }
    /// Payload MB/s over the raw device's MB/s.
    public var rawRatio: Double? {
      guard let raw, raw.megabytesPerSecond > 0 else { return nil }
      return megabytesPerSecond / raw.megabytesPerSecond
    }
    public var commitLatencyMicrosP50: Double { Double(commitLatency.valueAtPercentile(50)) / 1_000 }
    public var commitLatencyMicrosP99: Double { Double(commitLatency.valueAtPercentile(99)) / 1_000 }
    public var commitLatencyMicrosMax: Double { Double(commitLatency.max) / 1_000 }

    /// A short text report.
    public var text: String {
      var line = String(
        format:
          "appends: %llu in %.2f s, %.0f appends/s, %.1f MB/s (payload), %.1f MB/s (device), commits: %llu, commit latency µs p50 %.0f p99 %.0f max %.0f",
        appends, seconds, appendsPerSecond, megabytesPerSecond, deviceMegabytesPerSecond, commits,
        commitLatencyMicrosP50, commitLatencyMicrosP99, commitLatencyMicrosMax)
      if let consumed, let endToEnd = endToEndLatency {
        line += String(
          format: "; consumer: %llu of %llu entries, end-to-end latency µs p50 %.0f p99 %.0f max %.0f",
          consumed,
          appends, Double(endToEnd.valueAtPercentile(50)) / 1_000,
          Double(endToEnd.valueAtPercentile(99)) / 1_000,
          Double(endToEnd.max) / 1_000)
      }
      if let raw, let ratio = rawRatio {
        line += String(
          format: "; raw device: %.1f MB/s (%llu syncs); log/raw: %.1f%%", raw.megabytesPerSecond, raw.syncs,
          ratio * 100)
      }
      if let error { line += "; error: \(error)" }
      return line
    }
  }

  /// Parses `manual`, `bytes:<n>`, `ms:<n>` or `page`.
  public static func parsePolicy(_ text: String) -> LogCommitPolicy? {
    if text == "manual" { return .manual }
    if text == "page" { return .onPageFull }
    let parts = text.split(separator: ":")
    guard parts.count == 2, let value = Int(parts[1]), value > 0 else { return nil }
    switch parts[0] {
    case "bytes": return .everyBytes(value)
    case "ms": return .everyMilliseconds(value)
    default: return nil
    }
  }

  /// The form `parsePolicy` reads.
  public static func policyName(_ policy: LogCommitPolicy) -> String {
    switch policy {
    case .manual: return "manual"
    case .onPageFull: return "page"
    case .everyBytes(let bytes): return "bytes:\(bytes)"
    case .everyMilliseconds(let milliseconds): return "ms:\(milliseconds)"
    }
  }

  /// The raw writer for this workload.
  public var rawWriter: RawWriteBenchmark {
    var raw = RawWriteBenchmark(
      directory: directory + "-raw", device: device, seconds: seconds, commitPolicy: commitPolicy,
      pageSizeBytes: log.pageSizeBytes)
    raw.writeBytes = rawWriteBytes
    return raw
  }

  /// Runs the log workload, then (when `measuresRawBandwidth`) the raw writer;
  /// `rawFirst` swaps the order (alternated repetitions).
  public func run(rawFirst: Bool = false) throws -> Result {
    var raw: RawWriteBenchmark.Result? = nil
    if measuresRawBandwidth && rawFirst { raw = try rawWriter.run() }
    var result = try runLog()
    if measuresRawBandwidth && !rawFirst { raw = try rawWriter.run() }
    result.raw = raw
    return result
  }

  /// The log part of `run`.
  public func runLog() throws -> Result {
    try validate()
    let maximum = log.pageSizeBytes - 64 - LogEntryFormat.headerSizeBytes
    guard entrySize.maximumBytes <= maximum else {
      throw BindingError(
        "entry size \(entrySize.maximumBytes) is larger than the \(maximum) bytes a \(log.pageSizeBytes)-byte page holds: "
          + "raise the page size (log.pagesize, --page-size) or use smaller entries")
    }
    // Refused (directoryLocked) while another log, e.g. another benchmark, has it open.
    try FasterLog.remove(directory: directory)
    try? FileManager.default.removeItem(atPath: directory)
    defer { try? FasterLog.remove(directory: directory) }
    var settings = FasterLogSettings(directory: directory)
    settings.log = log
    settings.commitPolicy = commitPolicy
    let fasterLog = try FasterLog(settings: settings, deviceKind: device, segmentSizeBytes: 1 << 30)
    defer { fasterLog.close() }
    let stop = ControlLock(false)
    let appends = ControlLock<UInt64>(0)
    /// Entries so far, published every 256 by each producer (the status intervals).
    let appended = ControlLock<UInt64>(0)
    let firstError = ControlLock<String?>(nil)
    let latency = ControlLock(OperationMeasurements.makeHistogram())
    let payloadBytes = ControlLock<UInt64>(0)
    let entrySize = entrySize
    let stampsEntries = consumesEntries
    let seed = seed
    let clock = ContinuousClock()
    let started = clock.now
    let startedNanoseconds = monotonicNanoseconds()
    let finished = ControlLock(0)
    let consumer = consumesEntries ? startConsumer(fasterLog, startedNanoseconds: startedNanoseconds) : nil
    var bodies: [@Sendable () -> Void] = []
    for producer in 0..<producers {
      bodies.append {
        let payload = UnsafeMutableRawBufferPointer.allocate(
          byteCount: max(Self.stampBytes, entrySize.maximumBytes), alignment: 8)
        payload.initializeMemory(as: UInt8.self, repeating: 0xA5)
        defer { payload.deallocate() }
        var random = RandomSource(seed: seed, stream: UInt64(producer))
        var bytes: UInt64 = 0
        var count: UInt64 = 0
        var published: UInt64 = 0
        // The stop flag is read (and the count published for the time series) every 256
        // entries: a lock per entry would be measured too.
        while count & 255 != 0 || !stop.withLock({ $0 }) {
          if count & 255 == 0 && count != published {
            let delta = count - published
            appended.withLock { $0 += delta }
            published = count
          }
          let size = entrySize.draw(&random)
          if stampsEntries {
            payload.storeBytes(of: monotonicNanoseconds(), toByteOffset: 0, as: UInt64.self)
          }
          do { try fasterLog.enqueue(UnsafeRawBufferPointer(start: payload.baseAddress, count: size)) } catch
          {
            firstError.withLock { $0 = $0 ?? "enqueue: \(error)" }
            stop.withLock { $0 = true }
            break
          }
          count += 1
          bytes += UInt64(size)
        }
        appends.withLock { $0 += count }
        payloadBytes.withLock { $0 += bytes }
      }
    }
    bodies.append { [commitPolicy] in
      while !stop.withLock({ $0 }) {
        let start = clock.now
        do {
          if commitPolicy == .manual {
            try fasterLog.commit(wait: true)
          } else {
            let address = try fasterLog.enqueue([1])
            try fasterLog.waitForCommit(until: Address(address.rawValue + 1))
          }
        } catch {
          firstError.withLock { $0 = $0 ?? "commit: \(error)" }
          stop.withLock { $0 = true }
          break
        }
        let nanoseconds = RawWriteBenchmark.nanoseconds(clock.now - start)
        latency.withLock { _ = $0.record(UInt64(max(0, nanoseconds))) }
        if commitPolicy != .manual { usleep(1_000) }
      }
    }
    for body in bodies {
      Thread.detachNewThread {
        body()
        finished.withLock { $0 += 1 }
      }
    }
    let deadline = started + .nanoseconds(Int64(seconds * 1e9))
    var intervals: [IntervalPoint] = []
    var intervalStart = started
    var intervalCount: UInt64 = 0
    while clock.now < deadline && !stop.withLock({ $0 }) {
      usleep(2_000)
      let now = clock.now
      if now - intervalStart >= Self.statusInterval || now >= deadline {
        let count = appended.withLock { $0 }
        let duration = Double(RawWriteBenchmark.nanoseconds(now - intervalStart)) / 1e9
        intervals.append(
          IntervalPoint(
            endSeconds: Double(RawWriteBenchmark.nanoseconds(now - started)) / 1e9, durationSeconds: duration,
            operations: count - intervalCount, operationsPerSecond: Double(count - intervalCount) / duration,
            latencyNanosecondsP99: 0))
        intervalStart = now
        intervalCount = count
      }
    }
    stop.withLock { $0 = true }
    while finished.withLock({ $0 }) < bodies.count { usleep(1_000) }
    // Everything counted is durable before the clock stops: MB/s is committed MB/s.
    try fasterLog.commit(wait: true)
    let elapsed = clock.now - started
    let total = appends.withLock { $0 }
    var result = Result(
      appends: total, payloadBytes: payloadBytes.withLock { $0 },
      deviceBytes: fasterLog.device.statistics.bytesWritten,
      seconds: Double(RawWriteBenchmark.nanoseconds(elapsed)) / 1e9,
      commits: fasterLog.device.statistics.flushes, commitLatency: latency.withLock { $0 }, raw: nil,
      error: firstError.withLock { $0 }, intervals: intervals)
    if let consumer {
      let outcome = consumer.finish(fasterLog, committedUntil: fasterLog.committedUntilAddress.rawValue)
      result.consumed = outcome.consumed
      result.endToEndLatency = outcome.latency
      var failure = outcome.error
      if failure == nil && outcome.consumed != total {
        failure =
          "consumer: saw \(outcome.consumed) entries, \(total) were committed "
          + (outcome.consumed < total ? "(entries missing)" : "(entries seen twice)")
      }
      if result.error == nil { result.error = failure }
    }
    return result
  }

  /// Starts the consumer thread (see the type's comment) from the log's begin.
  private func startConsumer(_ fasterLog: FasterLog, startedNanoseconds: UInt64) -> LogConsumer {
    LogConsumer.start(
      fasterLog, fasterLog.iterator(from: fasterLog.beginAddress), entrySize: entrySize,
      startedNanoseconds: startedNanoseconds)
  }

  /// `result` as a run of the results file (see the type's comment).
  public func record(_ result: Result, workload: String? = nil, repetition: Int? = nil) -> RunRecord {
    let commitLatency = LatencyRecord(result.commitLatency)
    var operationTypes = [
      OperationRecord(
        name: "COMMIT", operations: commitLatency.count,
        returnCodes: ReturnCodes(ok: commitLatency.count, notFound: 0, error: result.error == nil ? 0 : 1),
        latency: commitLatency, intendedLatency: nil)
    ]
    if let consumed = result.consumed, let histogram = result.endToEndLatency {
      let endToEnd = LatencyRecord(histogram)
      operationTypes.append(
        OperationRecord(
          name: "END-TO-END", operations: consumed,
          returnCodes: ReturnCodes(ok: consumed, notFound: 0, error: result.error == nil ? 0 : 1),
          latency: endToEnd, intendedLatency: nil))
    }
    let phase = PhaseRecord(
      logPhaseWithThreads: producers, operations: result.appends, runtimeMilliseconds: result.seconds * 1_000,
      throughputOperationsPerSecond: result.appendsPerSecond,
      operationTypes: operationTypes, intervals: result.intervals)
    var record = RunRecord(
      command: "log", binding: Self.workloadName, recordMode: "log", seed: seed, seedWasGiven: false,
      threads: producers, targetOperationsPerSecond: 0, warmupSeconds: 0, maxExecutionTimeSeconds: seconds,
      statusIntervalSeconds: 0, measurementInterval: "op", machine: MachineInfo.current(),
      build: BuildInfo.current(), properties: properties, knobs: KnobsRecord(EngineKnobs()),
      harnessOverhead: HarnessOverhead(
        nanosecondsPerOperation: 0, operations: 0, clockReadNanoseconds: 0, clockSource: "none",
        clockTicksPerNanosecond: 0),
      phases: [phase], storeStatistics: nil, warnings: [])
    record.workload = workload
    record.repetition = repetition
    record.log = LogRunRecord(self, result)
    if let error = result.error {
      record.errors = RunErrorSummary(
        phase: "log", operation: "APPEND", errors: 1, operations: result.appends, totalErrors: 1,
        totalOperations: result.appends, firstError: error, allowedErrorRate: 0, failed: true,
        stoppedEarly: true)
    }
    return record
  }
}

extension PhaseRecord {
  /// The measured phase of a FasterLog run: entries as operations, `COMMIT` as its one
  /// operation type.
  init(
    logPhaseWithThreads threads: Int, operations: UInt64, runtimeMilliseconds: Double,
    throughputOperationsPerSecond: Double, operationTypes: [OperationRecord], intervals: [IntervalPoint]
  ) {
    name = "log"
    self.threads = threads
    requestedOperations = 0
    self.operations = operations
    warmupOperations = 0
    self.runtimeMilliseconds = runtimeMilliseconds
    self.throughputOperationsPerSecond = throughputOperationsPerSecond
    self.operationTypes = operationTypes
    self.intervals = intervals
    orderedIndex = nil
  }
}
