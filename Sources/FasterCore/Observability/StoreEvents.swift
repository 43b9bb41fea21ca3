import FasterPlatform
import FasterStorage
import Logging

/// The store's slow-path log messages, in one place so their wording and metadata keys stay
/// consistent (the README's observability section lists them). Nothing here runs per
/// operation.
enum StoreEvents {
  /// After a store opened: its sizes and device, at info level.
  static func opened<Layout>(_ store: FasterKV<Layout>) {
    let options = store.options
    store.logger.info(
      "faster: store opened",
      metadata: [
        "index.bytes": "\(options.indexSizeBytes)",
        "log.memory.bytes": "\(options.logMemoryBytes)",
        "log.page.bytes": "\(options.pageSizeBytes)",
        "log.mutable.fraction": "\(options.mutableFraction)",
        "huge.pages": "\(options.hugePages)",
        "sessions.max": "\(options.maxSessions)",
        "device": "\(store.log.device?.name ?? "none")",
      ])
  }

  /// As a store goes away: how much log it wrote and whether its device failed.
  static func closed<Layout>(_ store: FasterKV<Layout>) {
    let log = store.log
    store.logger.info(
      "faster: store closed",
      metadata: [
        "log.tail": "\(log.tailAddress.rawValue)",
        "log.flushed.until": "\(log.flushedUntilAddress.rawValue)",
        "device.failed": "\(store.lastDeviceError != nil)",
      ])
  }

  /// After `flushLog` returned: the bytes it waited for and how long, at debug level.
  static func flushed<Layout>(_ store: FasterKV<Layout>, from: Address, durable: Bool, nanoseconds: UInt64) {
    let until = store.log.flushedUntilAddress
    store.logger.debug(
      "faster: log flushed",
      metadata: [
        "log.flushed.from": "\(from.rawValue)",
        "log.flushed.until": "\(until.rawValue)",
        "durable": "\(durable)",
        "duration.ms": "\(Double(nanoseconds) / 1e6)",
      ])
  }

  /// The metadata of a device error: its kind and errno.
  static func metadata(of error: DeviceError) -> Logger.Metadata {
    var metadata: Logger.Metadata = ["error.kind": "\(error.kind)"]
    if let errorNumber = error.errorNumber { metadata["errno"] = "\(errorNumber)" }
    return metadata
  }
}

// MARK: Checkpoints, recovery, compaction
extension StoreEvents {
  /// A checkpoint phase finished: its name, the time since the checkpoint started, and
  /// the bytes written so far or the address it fixed, at info level.
  static func checkpointPhase<Layout>(
    _ store: FasterKV<Layout>, _ phase: String, token: CheckpointToken, since start: UInt64,
    bytes: UInt64? = nil, address: UInt64? = nil
  ) {
    var metadata: Logger.Metadata = [
      "checkpoint.token": "\(token)",
      "elapsed.ms": "\(Double(monotonicNanoseconds() - start) / 1e6)",
    ]
    if let bytes { metadata["checkpoint.bytes"] = "\(bytes)" }
    if let address { metadata["checkpoint.final.address"] = "\(address)" }
    store.logger.info("faster: checkpoint \(phase)", metadata: metadata)
  }

  /// Recovery picked `info`; each newer checkpoint it skipped, with the reason, at notice.
  static func recoveryChose<Layout>(
    _ store: FasterKV<Layout>, _ info: CheckpointInfo, skipped: [CheckpointProblem]
  ) {
    for problem in skipped {
      store.logger.notice(
        "faster: recovery skipped a checkpoint: \(problem)", metadata: ["checkpoint.file": "\(problem.file)"])
    }
    store.logger.info(
      "faster: recovery chose checkpoint",
      metadata: [
        "checkpoint.token": "\(info.token)", "checkpoint.version": "\(info.version)",
        "checkpoint.kind": "\(info.kind)", "checkpoint.final.address": "\(info.finalAddress)",
        "checkpoints.skipped": "\(skipped.count)",
      ])
  }

  /// Recovery finished: what it read and replayed, and how long it took, at info level.
  static func recovered<Layout>(_ store: FasterKV<Layout>, _ report: RecoveryReport) {
    store.logger.info(
      "faster: recovery done",
      metadata: [
        "checkpoint.token": "\(report.token)", "recovery.bytes.read": "\(report.bytesRead)",
        "recovery.records.replayed": "\(report.recordsReplayed)",
        "recovery.records.invalidated": "\(report.recordsInvalidated)",
        "duration.ms": "\(Double(report.durationNanoseconds) / 1e6)",
      ])
  }

  static func compactionStarted<Layout>(
    _ store: FasterKV<Layout>, until: Address, method: CompactionMethod, automatic: Bool
  ) {
    store.logger.info(
      "faster: compaction started",
      metadata: [
        "log.begin": "\(store.log.beginAddress.rawValue)", "compaction.until": "\(until.rawValue)",
        "compaction.method": "\(method)", "compaction.automatic": "\(automatic)",
      ])
  }

  static func compactionDone<Layout>(_ store: FasterKV<Layout>, _ report: CompactionReport, automatic: Bool) {
    store.logger.info(
      "faster: compaction done",
      metadata: [
        "log.begin": "\(report.beginAfter.rawValue)",
        "compaction.bytes.reclaimed": "\(report.bytesReclaimed)",
        "compaction.records.copied": "\(report.recordsCopied)",
        "compaction.bytes.copied": "\(report.bytesCopied)", "compaction.automatic": "\(automatic)",
        "duration.ms": "\(report.seconds * 1000)",
      ])
  }
}
