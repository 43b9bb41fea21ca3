import FasterStorage
import Foundation

/// The disk tier's device for one benchmark run, opened from the `faster.device`,
/// `faster.path`, `faster.log.segmentsize` and `faster.device.queuedepth` knobs, and closed
/// (with its temporary directory removed) when the run ends.
///
/// Thread safety: immutable after init; `close()` is idempotent (the device's is).
final class BenchmarkDevice: Sendable {
  let device: (any StorageDevice)?
  /// The directory of the log files (nil without a device).
  let directory: String?
  /// The directory the log files go to, when the run made it (removed at close).
  private let temporaryDirectory: String?

  init(knobs: EngineKnobs, pageSizeBytes: Int) throws(BindingError) {
    guard let kind = knobs.device else {
      device = nil
      temporaryDirectory = nil
      self.directory = nil
      return
    }
    let directory: String
    if let path = knobs.path {
      directory = path
      temporaryDirectory = nil
    } else {
      directory = NSTemporaryDirectory() + "fasterbench-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
      temporaryDirectory = directory
    }
    do {
      try AtomicFileWriter.createDirectory(directory)
    } catch {
      throw BindingError("the log directory (faster.path): \(error.description)")
    }
    self.directory = directory
    var options = DeviceOptions(directory: directory)
    if let segmentSizeBytes = knobs.segmentSizeBytes { options.segmentSizeBytes = UInt64(segmentSizeBytes) }
    options.segmentSizeBytes = max(options.segmentSizeBytes, UInt64(pageSizeBytes))
    if let queueDepth = knobs.queueDepth { options.queueDepth = queueDepth }
    // The device's notices (io_uring or O_DIRECT refused) on stderr, as the status lines.
    let notice: @Sendable (String) -> Void = { line in StatusSink.standardError.write(line) }
    options.log = notice
    do {
      device = try Devices.open(kind, options: options, log: notice)
    } catch {
      if let temporaryDirectory { try? FileManager.default.removeItem(atPath: temporaryDirectory) }
      throw BindingError("cannot open the \(kind.rawValue) device in \(directory): \(error.message)")
    }
  }

  /// What the results record about the device.
  func statistics() -> JSONValue? {
    guard let device else { return nil }
    return .object([
      "name": .string(device.name),
      "alignment": .number(Double(device.alignment)),
      "segmentSizeBytes": .number(Double(device.segmentSizeBytes)),
      "io": JSONValue.encoding(device.statistics) ?? .null,
    ])
  }

  func close() {
    device?.close()
    if let temporaryDirectory { try? FileManager.default.removeItem(atPath: temporaryDirectory) }
  }

  deinit { close() }
}
