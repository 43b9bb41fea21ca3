import CFasterShims
import FasterPlatform
import FasterStorage

#if canImport(Glibc)
  import Glibc
#endif

/// FASTER's FasterLog: a concurrent, durable append-only log of byte entries on the hybrid
/// log, its epoch protection and a storage device (the same parts as the key-value store).
///
/// - Enqueue (`enqueue`, `tryEnqueue`, batches): lock-free, a fetch-add on the tail; each
///   entry gets a header with its length and CRC32C (`LogEntryFormat`) and its logical
///   address is returned.
/// - Commit (`commit(wait:)`, `commit() async`, `enqueueAndWaitForCommit`, or a
///   `LogCommitPolicy`): flushes everything enqueued so far, syncs the device, then writes
///   a commit record (begin, committed tail, named iterators' positions, checksum) durably
///   and atomically. Concurrent commit requests coalesce into one device sync.
/// - Recovery: opening a directory with commit records restores begin and the committed
///   tail from the newest intact record, verifies every committed entry's checksum, and
///   cuts the log at the first that fails (reported through `FasterLogSettings.logger`
///   and `recoveryReport`). Nothing past the committed tail is ever exposed.
/// - Read (`read(at:)`), iterate (`iterator`, `entries(from:)` as an async sequence that
///   the commit resumes), truncate (`truncate(until:)`).
///
/// Durability contract: an entry is durable once a commit whose call returned (or whose
/// async call resumed) without error covered its address. After a crash, every such entry
/// is recovered byte-for-byte; no entry past the last durable commit record is exposed.
///
/// Invariants:
/// - `begin <= committedUntil <= hybrid log flushedUntil <= tail`; all only grow (begin
///   only by `truncate`).
/// - Every entry below `committedUntil` was completely written before the flush that
///   covered it started (the flush is an epoch action after the read-only shift, and
///   enqueuers hold epoch protection from reservation to the last byte written).
/// - The commit record on disk never names a committed tail whose bytes were not synced
///   before it was written.
///
/// One open log per directory: opening takes an exclusive `flock` on `<directory>/LOCK`
/// (`LogDirectoryLock`), released by `close()` or the process's death; a second opener
/// gets `.directoryLocked` naming the holder's pid.
///
/// Thread safety: every method may be called from any thread, concurrently, except
/// `close()`, which must be the last call. Iterators are not thread-safe: one per consumer.
/// Call `close()` when done: until then the commit thread keeps the log alive.
public final class FasterLog: @unchecked Sendable {
  // @unchecked Sendable: shared state lives in atomic words (`words`), the hybrid log
  // (itself thread-safe), `commitState` (under its lock) and `iteratorPositions` (under
  // its lock); `lastRecord` is touched only by the commit worker (and by init before it starts).

  /// The settings the log was opened with.
  public let settings: FasterLogSettings
  /// The storage device holding the entries.
  public let device: any StorageDevice
  /// What opening the log found.
  public let recoveryReport: LogRecoveryReport
  /// The longest payload an entry can have.
  public let maximumPayloadLength: Int

  let epoch: LightEpoch
  let hybridLog: HybridLog
  let ownsDevice: Bool
  let files: LogCommitFiles
  /// This log's exclusive hold on its directory, released by `close()`.
  let lock: LogDirectoryLock
  /// committedUntil, begin, bytes trigger, page-full trigger, state flags: one cache line each.
  let words: UnsafeMutableRawPointer
  let commitState: CommitCondition<CommitState>
  let iteratorPositions: ControlLock<[String: UInt64]>
  /// The last commit record written or recovered (commit worker only).
  var lastRecord: LogCommitRecord
  /// Commit counts and latency (`statistics`, `reportMetrics(to:)`).
  let commitTotals = FasterLogCommitTotals()
  private var worker: PlatformThread?
  /// `everyBytes` threshold, 0 when that policy is off.
  let commitEveryBytes: UInt64
  let commitsOnPageFull: Bool

  var committedUntilWord: AtomicWord { AtomicWord(words) }
  var beginWord: AtomicWord { AtomicWord(words + 64) }
  var bytesTriggerWord: AtomicWord { AtomicWord(words + 128) }
  var pageTriggerWord: AtomicWord { AtomicWord(words + 192) }
  /// Bit 0: closed; bit 1: failed (a device flush or sync failed; see `commitState.failure`).
  var flagsWord: AtomicWord { AtomicWord(words + 256) }

  /// Opens (or creates) the log whose commit records are in `settings.directory` and whose
  /// entries are on `device`, recovering the newest intact commit. The caller keeps
  /// ownership of `device` and closes it after `close()`.
  ///
  /// - Throws: `.invalidConfiguration` for bad settings, a page size the device cannot
  ///   hold or that differs from the log on disk; `.corruptCommitRecords` when commit
  ///   records exist and none is intact; `.device` when committed bytes cannot be read;
  ///   `.commitRecord` when the directory cannot be used.
  public convenience init(settings: FasterLogSettings, device: any StorageDevice) throws(FasterLogError) {
    try settings.validate()
    try LogCommitFiles.create(directory: settings.directory)
    try self.init(
      settings: settings, device: device, ownsDevice: false,
      lock: LogDirectoryLock(directory: settings.directory))
  }

  /// Opens (or creates) the log in `settings.directory`, with its segment files
  /// (`log.<n>`) there too, on a device of `kind`; `close()` closes the device.
  public convenience init(
    settings: FasterLogSettings, deviceKind kind: DeviceKind, segmentSizeBytes: UInt64 = 1 << 30
  ) throws(FasterLogError) {
    try settings.validate()
    try LogCommitFiles.create(directory: settings.directory)
    // Locked before the device opens its segment files: a second opener touches nothing.
    let lock = try LogDirectoryLock(directory: settings.directory)
    var options = DeviceOptions(directory: settings.directory)
    options.segmentSizeBytes = segmentSizeBytes
    options.logger = settings.logger
    let device: any StorageDevice
    do { device = try Devices.open(kind, options: options, logger: settings.logger) } catch {
      throw .device(error)
    }
    do { try self.init(settings: settings, device: device, ownsDevice: true, lock: lock) } catch {
      device.close()
      throw error
    }
  }

  /// `lock` is held on `settings.directory` (created by the caller) until `close()`.
  init(
    settings: FasterLogSettings, device: any StorageDevice, ownsDevice: Bool, lock: LogDirectoryLock
  ) throws(FasterLogError) {
    let epoch = LightEpoch(capacity: settings.maxConcurrentThreads + 8)
    let hybridLog: HybridLog
    do { hybridLog = try HybridLog(settings: settings.log, epoch: epoch, device: device) } catch {
      switch error {
      case .outOfMemory(let message): throw .outOfMemory(message)
      default: throw .invalidConfiguration(error.description)
      }
    }
    let files = LogCommitFiles(directory: settings.directory)
    let recovered = try LogRecovery.recover(
      files: files, device: device, pageSizeBytes: settings.log.pageSizeBytes, logger: settings.logger)
    if recovered.record != nil {
      recovered.tailPage.withUnsafeBytes { bytes in
        hybridLog.restore(
          begin: Address(recovered.report.begin.rawValue), tail: recovered.report.committedUntil,
          tailPageBytes: bytes)
      }
    }
    self.settings = settings
    self.device = device
    self.ownsDevice = ownsDevice
    self.epoch = epoch
    self.hybridLog = hybridLog
    self.files = files
    self.lock = lock
    recoveryReport = recovered.report
    maximumPayloadLength = settings.log.pageSizeBytes - 64 - LogEntryFormat.headerSizeBytes
    words = UnsafeMutableRawPointer.allocate(byteCount: 5 * 64, alignment: 64)
    words.initializeMemory(as: UInt8.self, repeating: 0, count: 5 * 64)
    lastRecord =
      recovered.record
      ?? LogCommitRecord(
        sequence: 0, begin: Address.firstValid.rawValue, committedUntil: Address.firstValid.rawValue,
        pageSizeBytes: UInt64(settings.log.pageSizeBytes), iterators: [:])
    iteratorPositions = ControlLock(recovered.record?.iterators ?? [:])
    commitState = CommitCondition(CommitState())
    switch settings.commitPolicy {
    case .everyBytes(let bytes): commitEveryBytes = UInt64(bytes)
    default: commitEveryBytes = 0
    }
    commitsOnPageFull = settings.commitPolicy == .onPageFull
    let committed = recovered.report.committedUntil.rawValue
    committedUntilWord.store(committed, .sequentiallyConsistent)
    beginWord.store(recovered.report.begin.rawValue, .sequentiallyConsistent)
    bytesTriggerWord.store(committed, .sequentiallyConsistent)
    pageTriggerWord.store(
      committed >> UInt64(settings.log.pageSizeBytes.trailingZeroBitCount), .sequentiallyConsistent)
    do {
      worker = try PlatformThread { [self] in runCommitWorker() }
    } catch {
      throw .invalidConfiguration("could not start the commit thread: \(error.message)")
    }
    settings.logger.info(
      "FasterLog: opened",
      metadata: [
        "directory": "\(settings.directory)", "device": "\(device.name)",
        "log.begin": "\(recovered.report.begin.rawValue)", "log.committed.until": "\(committed)",
        "log.page.bytes": "\(settings.log.pageSizeBytes)", "commit.policy": "\(settings.commitPolicy)",
      ])
  }

  deinit {
    words.deallocate()
  }

  // MARK: Addresses

  /// The first live address: entries below were truncated away.
  public var beginAddress: Address { Address(beginWord.load(.acquiring)) }
  /// Everything below is durable (and readable); nothing at or past it survives a crash.
  public var committedUntilAddress: Address { Address(committedUntilWord.load(.acquiring)) }
  /// The end of the enqueued entries (committed or not).
  public var tailAddress: Address { hybridLog.tailAddress }
  /// Everything below is on the device (written, maybe not yet synced).
  public var flushedUntilAddress: Address { hybridLog.flushedUntilAddress }
  /// Addresses below are no longer in memory: reads go to the device.
  public var headAddress: Address { hybridLog.headAddress }

  var isClosed: Bool { flagsWord.load(.acquiring) & 1 != 0 }

  // MARK: Epoch slots

  /// An epoch-table entry for the calling thread; waits while all are in use.
  func acquireEpochSlot() -> Int {
    while true {
      if let slot = try? epoch.acquireSlot() { return slot }
      sched_yield()
    }
  }

  // MARK: Closing

  /// Stops the commit thread, waits for flushes in flight and (when the log opened the
  /// device) closes the device. Does not commit: call `commit(wait: true)` first to make
  /// the tail durable. Waiting iterators and committers are resumed (`.closed`).
  /// Idempotent.
  public func close() {
    guard flagsWord.fetchOr(1, .sequentiallyConsistent) & 1 == 0 else { return }
    commitState.withLock { state, waiting in
      state.pointee.closing = true
      waiting.broadcast()
    }
    worker?.joinOrDetach()
    worker = nil
    // Let flushes already handed to the device finish before the device may be closed.
    var rounds = 0
    while rounds < 300_000 {
      epoch.drainIfPending()
      let requested = hybridLog.flushState.withLock { $0.requestedUntil }
      if hybridLog.deviceError != nil || hybridLog.flushedUntilAddress.rawValue >= requested { break }
      rounds += 1
      usleep(100)
    }
    if ownsDevice { device.close() }
    lock.release()
  }
}
