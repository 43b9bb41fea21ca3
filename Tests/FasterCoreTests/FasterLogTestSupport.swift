import FasterStorage
import FasterTestSupport
import Foundation
import InMemoryLogging
import Logging
import Testing

@testable import FasterCore

/// The devices every FasterLog test runs over: io_uring, the file device, io_uring's
/// forced fallback, and the fault-injecting device over files (with no fault armed).
enum LogTestDevice: String, CaseIterable, CustomTestStringConvertible {
  case uring, file, uringFallback, faulty

  var testDescription: String { rawValue }

  func open(_ directory: TemporaryDirectory, segmentSize: UInt64 = 1 << 16) throws -> any StorageDevice {
    switch self {
    case .uring: return try TestDevice.uring.open(directory, segmentSize: segmentSize)
    case .file: return try TestDevice.file.open(directory, segmentSize: segmentSize)
    case .uringFallback: return try TestDevice.uringFallback.open(directory, segmentSize: segmentSize)
    case .faulty:
      return FaultInjectingDevice(
        wrapping: try TestDevice.file.open(directory, segmentSize: segmentSize), seed: 7)
    }
  }
}

/// What a log reported through its logger (swift-log, in memory), for tests that check it.
final class NoticeRecorder: Sendable {
  let handler = InMemoryLogHandler()

  /// A logger at debug level into `handler`.
  var logger: Logger {
    var logger = Logger(label: "test.fasterlog", factory: { [handler] _ in handler })
    logger.logLevel = .debug
    return logger
  }
  /// The messages at notice level and above.
  var notices: [String] { handler.entries.filter { $0.level >= .notice }.map { "\($0.message)" } }
}

/// Settings for a small log: 4 KiB pages, 16 KiB of memory, so entries reach the device.
func smallLogSettings(
  _ directory: TemporaryDirectory, policy: LogCommitPolicy = .manual, notices: NoticeRecorder? = nil
) -> FasterLogSettings {
  var settings = FasterLogSettings(directory: directory.path)
  settings.log = HybridLogSettings(pageSizeBytes: 1 << 12, memoryBytes: 1 << 14, mutableFraction: 0.5)
  settings.commitPolicy = policy
  if let notices { settings.logger = notices.logger }
  return settings
}

/// A deterministic payload for entry `index`: its length and bytes derive from both.
func logPayload(_ index: Int, length: Int) -> [UInt8] {
  (0..<length).map { UInt8(truncatingIfNeeded: index &* 131 &+ $0 &* 7 &+ ($0 >> 3)) }
}

/// Every committed entry of `log` from its begin, in order.
func allEntries(_ log: FasterLog) throws -> [FasterLogEntry] {
  let iterator = log.iterator(from: log.beginAddress)
  var entries: [FasterLogEntry] = []
  while let entry = try iterator.next() { entries.append(entry) }
  return entries
}
