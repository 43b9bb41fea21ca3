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
