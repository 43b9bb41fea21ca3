import FasterPlatform
import FasterStorage
import Logging
import Synchronization

/// A concurrent key-value store on FASTER's design: a lock-free hash index over a hybrid
/// log, with epoch protection and per-thread sessions.
///
/// ```swift
/// let store = try FasterKV<FixedSizeRecord<UInt64, UInt64>>(options: FasterKVOptions())
/// let session = try store.newSession()
/// _ = session.upsert(42, 7)
/// var value: UInt64 = 0
/// if session.read(42, into: &value) == .ok { print(value) }
/// ```
///
/// The layout decides the type model: `FixedSizeRecord<K, V>` for blittable keys and
/// values (`FixedSizeStore<K, V>`), `VariableLengthRecord` for byte strings
/// (`VariableLengthStore`). No heap pointer is ever written to the log.
///
/// Thread safety: the store may be shared by any number of threads; each thread uses
/// its own `FasterSession` (at most `options.maxSessions` at once).
public final class FasterKV<Layout: RecordLayout>: @unchecked Sendable {
  // @unchecked Sendable: the parts are themselves thread-safe (see each type); the
  // store's own properties are immutable.
  public let options: FasterKVOptions
  /// Where the store reports slow-path events (open, close, device errors, flushes);
  /// `FasterLogging.disabled` unless the program passed its own.
  public let logger: Logger
  let epoch: LightEpoch
  let index: HashIndex
  let log: HybridLog
  /// The read cache, when `options.readCache` enables it.
  let readCache: ReadCache<Layout>?
  @usableFromInline let core: StoreCore<Layout>
  /// CPR: the system state word, the session registry, the checkpoint-running flag.
  let checkpoints: CheckpointCoordinator

  let deviceErrors = ControlLock<DeviceError?>(nil)
  /// Records read from the device that failed validation (see `FasterKV+PendingIO.swift`).
  let corruptRecordsRead = Atomic<UInt64>(0)
  /// Pending operations and scans that may read the device (compaction waits for them).
  let deviceReaders = DeviceReaderRegistry()
  /// One compaction at a time.
  let compactionLock = ControlLock<Void>(())
  let compactionTotals = ControlLock(CompactionStatistics())
  /// The background thread of `options.autoCompaction`, if set.
  private var autoCompactor: AutoCompactor?
  /// Tests only: runs on the compacting thread (unprotected) between the check that a
  /// record is its key's newest and the publication of its copy, with the key's bytes.
  let compactionRaceHook = ControlLock<(@Sendable (UnsafeRawBufferPointer) -> Void)?>(nil)

  // MARK: Observability (operation counts, pending I/O latency, checkpoint totals)
  /// The sessions' operation counters, summed when `statistics` is read.
  let sessionCounters = SessionCounterRegistry()
  /// Device-part latency of pending operations, fed by the I/O completions.
  let pendingLatency = LatencyHistogram()
  /// Checkpoint totals (`checkpointAndWait`).
  let checkpointTotals = ControlLock(CheckpointStatistics())

  /// Opens an empty store.
  ///
  /// - Parameters:
  ///   - options: sizes and tuning.
  ///   - device: where pages go when the log outgrows `logMemoryBytes` (the disk tier).
  ///     Nil keeps the store in memory: a full log then makes writes return
  ///     `.outOfMemory`. The store does not close the device.
  ///   - logger: where the store logs its slow-path events (never the operations).
  /// - Throws: `FasterError.invalidConfiguration` for bad options or layout types,
  ///   `FasterError.outOfMemory` if the index or log memory cannot be allocated.
  public init(
    options: FasterKVOptions, device: (any StorageDevice)? = nil, logger: Logger = FasterLogging.disabled
  ) throws(FasterError) {
    do {
      try options.validate()
      try Layout.validateLayout()
    } catch {
      logger.error("faster: store not opened: \(error)")
      throw error
    }
    self.options = options
    self.logger = logger
    epoch = LightEpoch(capacity: options.maxSessions)
    do {
      index = try HashIndex(sizeBytes: options.indexSizeBytes, hugePages: options.hugePages)
      log = try HybridLog(settings: options.logSettings, epoch: epoch, device: device, logger: logger)
      if let settings = options.readCache {
        readCache = try ReadCache<Layout>(settings: settings, epoch: epoch, index: index.table)
      } else {
        readCache = nil
      }
    } catch {
      logger.error("faster: store not opened: \(error)")
      throw error
    }
    checkpoints = CheckpointCoordinator(version: 1)
    core = StoreCore(
      index: index, log: log, epoch: epoch, stateWord: checkpoints.stateWord, readCache: readCache)
    if let policy = options.autoCompaction {
      guard device != nil else {
        logger.error("faster: store not opened: autoCompaction needs a device")
        throw .invalidConfiguration(
          "autoCompaction needs a device: a memory-only log never evicts, so nothing can be reclaimed")
      }
      autoCompactor = try AutoCompactor(store: self, policy: policy)
    }
    StoreEvents.opened(self)
  }

  deinit {
    autoCompactor?.stop()
    StoreEvents.closed(self)
  }

  /// Stops the store's background work (the automatic compaction thread of
  /// `options.autoCompaction`) and waits for it: a compaction in progress finishes first,
  /// and none starts afterwards. Call it before closing the device or deleting its files.
  /// Sessions and manual `compact` keep working. Idempotent.
  ///
  /// - Note: the calling thread must not hold one of its sessions' protection (end or
  ///   `suspend()` it first): a running compaction waits for every session to refresh.
  public func close() {
    autoCompactor?.stopAndWait()
  }

  /// The storage device of the disk tier, if any.
  public var device: (any StorageDevice)? { log.device }

  /// The first device error the store met (a failed flush or read), with a message a
  /// person can act on; nil while the device is healthy.
  public var lastDeviceError: DeviceError? {
    log.deviceError ?? deviceErrors.withLock { $0 }
  }

  func recordDeviceError(_ error: DeviceError) {
    let first = deviceErrors.withLock { stored in
      guard stored == nil else { return false }
      stored = error
      return true
    }
    if first {
      logger.error("faster: device error: \(error.message)", metadata: StoreEvents.metadata(of: error))
    }
  }

  /// Starts a session for the calling thread.
  ///
  /// - Throws: `FasterError.tooManySessions` when `options.maxSessions` are open.
  public func newSession() throws(FasterError) -> FasterSession<Layout> {
    try FasterSession(store: self)
  }

  /// Starts a named session for the calling thread: checkpoints record its commit point
  /// under `name`, and after recovery `continueSession(name:)` resumes it.
  ///
  /// - Throws: `FasterError.tooManySessions`; `.invalidConfiguration` if a session of that
  ///   name is open or the name is empty.
  public func newSession(name: String) throws(FasterError) -> FasterSession<Layout> {
    try checkSessionName(name)
    return try FasterSession(store: self, name: name)
  }

  /// The end of the log: where the next record goes.
  public var tailAddress: Address { log.tailAddress }

  /// The log markers, memory use and index shape, read now. Reads /proc/self/smaps for
  /// the huge-page figure: for the end of a run, not for a hot loop.
  public var statistics: FasterKVStatistics {
    var statistics = FasterKVStatistics(
      beginAddress: log.beginAddress.rawValue,
      headAddress: log.headAddress.rawValue,
      safeReadOnlyAddress: log.safeReadOnlyAddress.rawValue,
      readOnlyAddress: log.readOnlyAddress.rawValue,
      flushedUntilAddress: log.flushedUntilAddress.rawValue,
      tailAddress: log.tailAddress.rawValue,
      logMemoryBytes: options.logMemoryBytes,
      pageSizeBytes: options.pageSizeBytes,
      indexSizeBytes: options.indexSizeBytes,
      indexBucketCount: index.bucketCount,
      overflowBucketCount: index.overflow.allocatedBucketCount,
      overflowBucketBytes: index.overflow.allocatedByteCount,
      hugePageBytes: log.hugePageBytes + PageAllocator.hugePageBytes(in: index.region),
      currentEpoch: epoch.currentEpoch,
      device: log.device?.name ?? "none",
      deviceStatistics: log.device?.statistics,
      corruptRecordsRead: corruptRecordsRead.load(ordering: .relaxed),
      compaction: compactionStatistics, readCache: readCache?.statistics)
    // Observability.
    statistics.operations = sessionCounters.snapshot()
    statistics.pendingLatency = pendingLatency.summary()
    statistics.checkpoint = checkpointTotals.withLock { $0 }
    statistics.recovery = recoveryReport.map(RecoveryStatistics.init)
    return statistics
  }

  /// Raises the read-only marker to `address` (at most the tail): records below it are
  /// no longer updated in place and, with a device, are flushed to it. For tests,
  /// compaction and tooling (checkpoints use it).
  public func shiftReadOnlyAddress(to address: Address) {
    log.shiftReadOnly(to: address)
  }

  /// Raises the head to `address` (page-aligned down, and at most what is flushed):
  /// records below it are evicted from memory and read from the device. No-op without a
  /// device. For tests, compaction and tooling.
  public func shiftHeadAddress(to address: Address) {
    guard log.device != nil else { return }
    log.shiftHead(to: address)
  }

  /// Writes the whole log to the device and waits until it has it; with `durable`, also
  /// makes it durable (`StorageDevice.flush`, an fdatasync). The caller must not hold an
  /// active session on this thread (the flush waits for every session to refresh).
  /// No-op without a device.
  ///
  /// - Throws: the device's error if a write or the sync fails.
  public func flushLog(durable: Bool) throws(DeviceError) {
    let start = monotonicNanoseconds()
    let from = log.flushedUntilAddress
    do {
      try log.flushAndWait(durable: durable)
    } catch {
      logger.error("faster: log flush failed: \(error.message)", metadata: StoreEvents.metadata(of: error))
      throw error
    }
    StoreEvents.flushed(self, from: from, durable: durable, nanoseconds: monotonicNanoseconds() - start)
  }

  /// The address below which everything is on the device.
  public var flushedUntilAddress: Address { log.flushedUntilAddress }
  /// The address below which records are on the device only.
  public var headAddress: Address { log.headAddress }
  /// The read-only marker.
  public var readOnlyAddress: Address { log.readOnlyAddress }

  /// The epoch machinery, for tests and tooling.
  public var lightEpoch: LightEpoch { epoch }
}

/// A store of blittable keys and values.
public typealias FixedSizeStore<K: Blittable, V: Blittable> = FasterKV<FixedSizeRecord<K, V>>
/// A store of byte-string keys and values.
public typealias VariableLengthStore = FasterKV<VariableLengthRecord>
