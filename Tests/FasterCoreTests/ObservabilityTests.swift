import FasterStorage
import FasterTestSupport
import Foundation
import InMemoryLogging
import Logging
import MetricsTestKit
import Testing

@testable import FasterCore

/// The store's swift-log messages and swift-metrics figures, seen by in-memory backends
/// after known workloads.
@Suite struct ObservabilityTests {
  /// A logger at debug level whose entries the test reads back.
  static func capturingLogger() -> (Logger, InMemoryLogHandler) {
    let handler = InMemoryLogHandler()
    var logger = Logger(label: "test", factory: { _ in handler })
    logger.logLevel = .debug
    return (logger, handler)
  }

  @Test func metricsMatchTheStatisticsAfterAKnownWorkload() throws {
    let directory = TemporaryDirectory("metrics")
    let device = try Devices.open(
      .file, options: DeviceOptions(directory: directory.path), logger: FasterLogging.disabled)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(options: diskOptions(), device: device)
    let session = try store.newSession()
    let keys: UInt64 = 10_000  // 240 KB of records over a 64 KB log: pages are flushed and evicted
    for key in 0..<keys { #expect(session.upsert(key, key) == .ok) }
    session.suspend()
    try store.flushLog(durable: true)

    let backend = TestMetrics()
    let metrics = FasterKVMetrics(dimensions: [("store", "test")], factory: backend)
    store.reportMetrics(to: metrics)
    let statistics = store.statistics
    let store_ = [("store", "test")]
    func gauge(_ name: String, _ extra: [(String, String)] = []) throws -> Double? {
      try backend.expectGauge("faster_\(name)", store_ + extra).lastValue
    }
    #expect(try gauge("log_address_bytes", [("marker", "tail")]) == Double(store.tailAddress.rawValue))
    #expect(try gauge("log_address_bytes", [("marker", "head")]) == Double(store.headAddress.rawValue))
    #expect(
      try gauge("log_address_bytes", [("marker", "flushed_until")]) == Double(store.tailAddress.rawValue))
    #expect(try gauge("log_used_bytes") == Double(statistics.logBytesUsed))
    // 10 000 records of 24 bytes (header, key, value) from the first valid address.
    #expect(try gauge("log_used_bytes")! >= Double(keys * 24))
    #expect(try gauge("log_in_memory_bytes") == Double(statistics.tailAddress - statistics.headAddress))
    #expect(try gauge("log_memory_bytes") == Double(1 << 16))
    #expect(try gauge("log_page_size_bytes") == Double(1 << 12))
    #expect(try gauge("index_size_bytes") == Double(1 << 14))
    #expect(try gauge("index_buckets") == Double((1 << 14) / 64))
    #expect(try gauge("index_overflow_buckets") == Double(statistics.overflowBucketCount))
    #expect(try gauge("device_failed") == 0)
    let deviceDimensions = store_ + [("device", device.name)]
    let written = try backend.expectCounter("faster_device_written_bytes_total", deviceDimensions).totalValue
    #expect(written == Int64(statistics.deviceStatistics!.bytesWritten))
    #expect(written >= Int64(statistics.tailAddress - Address.firstValid.rawValue) - 4096)
    #expect(try backend.expectCounter("faster_device_flushes_total", deviceDimensions).totalValue == 1)
    let writes = try backend.expectCounter("faster_device_writes_total", deviceDimensions).totalValue
    #expect(writes > 0)

    // A second report adds only what happened since the first: nothing, then one read.
    store.reportMetrics(to: metrics)
    #expect(
      try backend.expectCounter("faster_device_written_bytes_total", deviceDimensions).totalValue == written)
    var value: UInt64 = 0
    #expect(session.read(0, into: &value) == .pending)
    let results = session.completePendingWithResults(wait: true)
    #expect(results.first?.status == .ok && results.first?.value == 0)
    session.suspend()
    store.reportMetrics(to: metrics)
    #expect(try backend.expectCounter("faster_device_reads_total", deviceDimensions).totalValue == 1)
    #expect(try backend.expectCounter("faster_device_writes_total", deviceDimensions).totalValue == writes)
  }

  @Test func openFlushAndCloseAreLogged() throws {
    let (logger, handler) = Self.capturingLogger()
    let directory = TemporaryDirectory("logging")
    let device = try Devices.open(.file, options: DeviceOptions(directory: directory.path), logger: logger)
    defer { device.close() }
    do {
      let store = try FixedSizeStore<UInt64, UInt64>(options: diskOptions(), device: device, logger: logger)
      let session = try store.newSession()
      for key in UInt64(0)..<100 { #expect(session.upsert(key, key) == .ok) }
      session.end()
      try store.flushLog(durable: true)
    }
    let messages = handler.entries.map { "\($0.message)" }
    #expect(messages == ["faster: store opened", "faster: log flushed", "faster: store closed"])
    let opened = handler.entries[0]
    #expect(opened.level == .info)
    #expect(opened.metadata["index.bytes"] == "\(1 << 14)")
    #expect(opened.metadata["device"] == "\(device.name)")
    #expect(handler.entries[1].level == .debug)
    #expect(handler.entries[1].metadata["durable"] == "true")
  }

  @Test func invalidOptionsAreLoggedAndThrown() {
    let (logger, handler) = Self.capturingLogger()
    var options = diskOptions()
    options.indexSizeBytes = 100
    #expect(throws: FasterError.self) { try FixedSizeStore<UInt64, UInt64>(options: options, logger: logger) }
    #expect(handler.entries.count == 1)
    #expect(handler.entries.first?.level == .error)
    #expect("\(handler.entries.first?.message ?? "")".contains("indexSizeBytes = 100"))
  }

  @Test func aFailedFlushIsLoggedOnceAndReportedAsAFailedDevice() throws {
    let (logger, handler) = Self.capturingLogger()
    let directory = TemporaryDirectory("flush-failure")
    let file = try Devices.open(.file, options: DeviceOptions(directory: directory.path), logger: logger)
    defer { file.close() }
    let device = FaultInjectingDevice(wrapping: file, seed: 1)
    device.failNext(.diskFull, reads: false, writes: true, count: 1_000)
    let store = try FixedSizeStore<UInt64, UInt64>(options: diskOptions(), device: device, logger: logger)
    let session = try store.newSession()
    var sawDeviceError = false
    for key in UInt64(0)..<10_000 where session.upsert(key, key) == .deviceError {
      sawDeviceError = true
      break
    }
    #expect(sawDeviceError, "the log could not evict: writes fail with .deviceError")
    session.suspend()
    let failures = handler.entries.filter { "\($0.message)".contains("log flush failed") }
    #expect(failures.count == 1)
    #expect(failures.first?.level == .error)
    #expect(failures.first?.metadata["error.kind"] == "diskFull")

    let backend = TestMetrics()
    let metrics = FasterKVMetrics(factory: backend)
    store.reportMetrics(to: metrics)
    #expect(try backend.expectGauge("faster_device_failed").lastValue == 1)
  }

  @Test func theIoUringFallbackIsLoggedAsAWarning() throws {
    let (logger, handler) = Self.capturingLogger()
    let directory = TemporaryDirectory("fallback")
    let device = try Devices.open(
      .uring, options: DeviceOptions(directory: directory.path), forceFileDevice: true,
      log: { line in logger.warning("\(line)") })
    device.close()
    #expect(handler.entries.count == 1)
    #expect(handler.entries.first?.level == .warning)
    #expect("\(handler.entries.first?.message ?? "")".contains("using the pread/pwrite file device"))
  }
}
