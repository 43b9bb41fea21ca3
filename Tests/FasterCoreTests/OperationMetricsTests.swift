import FasterStorage
import FasterTestSupport
import Foundation
import InMemoryLogging
import Logging
import MetricsTestKit
import Testing

@testable import FasterCore

/// The store's activity figures (operations by kind and status, pending operations and
/// their latency, checkpoints, recovery, compaction) after known workloads, as
/// `statistics` and through a swift-metrics `TestMetrics` backend; and their log lines.
@Suite struct OperationMetricsTests {
  static let dimensions = [("store", "test")]

  static func counter(_ backend: TestMetrics, _ name: String, _ extra: [(String, String)] = []) throws
    -> Int64
  {
    try backend.expectCounter("faster_\(name)", dimensions + extra).totalValue
  }

  static func operations(_ backend: TestMetrics, _ kind: String, _ status: String) throws -> Int64 {
    try counter(backend, "operations_total", [("kind", kind), ("status", status)])
  }

  @Test func operationsAreCountedByKindAndStatusOverLiveAndEndedSessions() throws {
    // In memory, with an index large enough that the few absent keys find no entry.
    let store = try FixedSizeStore<UInt64, UInt64>(
      options: smallOptions(indexBytes: 1 << 20, logBytes: 1 << 22, pageBytes: 1 << 16))
    do {
      let first = try store.newSession()
      for key in UInt64(0)..<100 { #expect(first.upsert(key, key) == .ok) }
      for key in UInt64(0)..<50 { #expect(first.rmw(key, AddUpdate(delta: 1)) == .ok) }
      for key in UInt64(1000)..<1010 { #expect(first.rmw(key, AddUpdate(delta: 1)) == .ok) }
      for key in UInt64(0)..<10 { #expect(first.delete(key) == .ok) }
      for key in UInt64(5000)..<5003 { #expect(first.delete(key) == .notFound) }
      first.end()  // its counts move to the retired sums
    }
    let second = try store.newSession()
    var value: UInt64 = 0
    for key in UInt64(0)..<10 { #expect(second.read(key, into: &value) == .notFound) }
    for key in UInt64(10)..<30 { #expect(second.read(key, into: &value) == .ok) }
    #expect(second.read(7777, into: &value) == .notFound)

    let operations = store.statistics.operations
    #expect(operations.issued(.upsert, .ok) == 100)
    #expect(operations.issued(.rmw, .ok) == 60)
    #expect(operations.issued(.delete, .ok) == 10)
    #expect(operations.issued(.delete, .notFound) == 3)
    #expect(operations.issued(.read, .ok) == 20)
    #expect(operations.issued(.read, .notFound) == 11)
    #expect(operations.total(.read) == 31)
    #expect(operations.pendingIssued == 0)

    let backend = TestMetrics()
    let metrics = FasterKVMetrics(dimensions: Self.dimensions, factory: backend)
    store.reportMetrics(to: metrics)
    #expect(try Self.operations(backend, "upsert", "ok") == 100)
    #expect(try Self.operations(backend, "rmw", "ok") == 60)
    #expect(try Self.operations(backend, "delete", "ok") == 10)
    #expect(try Self.operations(backend, "delete", "not_found") == 3)
    #expect(try Self.operations(backend, "read", "ok") == 20)
    #expect(try Self.operations(backend, "read", "not_found") == 11)
    #expect(throws: (any Error).self) { try Self.operations(backend, "upsert", "not_found") }

    // A second report adds only what happened since the first; the live session counts.
    for key in UInt64(10)..<15 { #expect(second.upsert(key, 1) == .ok) }
    store.reportMetrics(to: metrics)
    #expect(try Self.operations(backend, "upsert", "ok") == 105)
    #expect(try Self.operations(backend, "read", "ok") == 20)
    second.end()
    #expect(store.statistics.operations.issued(.upsert, .ok) == 105, "ending a session loses no count")
  }

  @Test func pendingOperationsAndTheirLatencyAreCounted() async throws {
    let directory = TemporaryDirectory("pending-metrics")
    let device = try Devices.open(
      .file, options: DeviceOptions(directory: directory.path), logger: FasterLogging.disabled)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(options: diskOptions(), device: device)
    let session = try store.newSession()
    for key in UInt64(0)..<10_000 { #expect(session.upsert(key, key) == .ok) }  // 240 KB over 64 KB
    Self.issueSynchronousPendingOperations(session)
    var statistics = store.statistics
    #expect(statistics.operations.pendingIssued == 6)
    #expect(statistics.operations.issued(.read, .pending) == 5)
    #expect(statistics.operations.issued(.rmw, .pending) == 1)
    let results = session.completePendingWithResults(wait: true)
    #expect(results.count == 6)
    // The async API counts the same way: issued pending, completed with its final status.
    #expect(await session.read(6).status == .ok)
    session.suspend()

    statistics = store.statistics
    #expect(statistics.operations.pendingIssued == 7)
    #expect(statistics.operations.pendingCompleted == 7)
    #expect(statistics.pendingOutstanding == 0)
    #expect(statistics.operations.completed(.read, .ok) == 6)
    #expect(statistics.operations.completed(.rmw, .ok) == 1)
    #expect(statistics.pendingLatency.count == 7, "one device part per pending operation")
    #expect(statistics.pendingLatency.sumNanoseconds > 0)
    #expect(statistics.pendingLatency.nanoseconds(atQuantile: 0.5) > 0)
    #expect(statistics.pendingLatency.nanoseconds(atQuantile: 1) == statistics.pendingLatency.maxNanoseconds)

    let backend = TestMetrics()
    let metrics = FasterKVMetrics(dimensions: Self.dimensions, factory: backend)
    store.reportMetrics(to: metrics)
    #expect(try Self.counter(backend, "pending_operations_issued_total") == 7)
    #expect(try Self.operations(backend, "read", "pending") == 6)
    #expect(try Self.operations(backend, "rmw", "pending") == 1)
    #expect(
      try Self.counter(backend, "pending_operations_completed_total", [("kind", "read"), ("status", "ok")])
        == 6)
    #expect(
      try Self.counter(backend, "pending_operations_completed_total", [("kind", "rmw"), ("status", "ok")])
        == 1)
    #expect(try backend.expectGauge("faster_pending_operations_outstanding", Self.dimensions).lastValue == 0)
    let p99 = try backend.expectGauge(
      "faster_pending_io_latency_seconds", Self.dimensions + [("quantile", "0.99")]
    ).lastValue
    #expect(p99 != nil && p99! > 0)
    let mean = try backend.expectGauge("faster_pending_io_latency_mean_seconds", Self.dimensions).lastValue
    #expect(mean == statistics.pendingLatency.meanNanoseconds / 1e9)
  }

  /// Five reads and one RMW of evicted keys (0 to 5), through the synchronous API.
  static func issueSynchronousPendingOperations(_ session: FasterSession<FixedSizeRecord<UInt64, UInt64>>) {
    var value: UInt64 = 0
    for key in UInt64(0)..<5 { #expect(session.read(key, into: &value) == .pending) }
    #expect(session.rmw(5, AddUpdate(delta: 1)) == .pending)
  }

  @Test func checkpointsAndRecoveryAreCountedTimedAndLogged() throws {
    let (logger, handler) = ObservabilityTests.capturingLogger()
    let directory = TemporaryDirectory("checkpoint-metrics")
    let options = checkpointOptions(directory)
    let backend = TestMetrics()
    let info: CheckpointInfo
    do {
      let device = try Devices.open(
        .file, options: DeviceOptions(directory: directory.path), logger: FasterLogging.disabled)
      defer { device.close() }
      let store = try FixedSizeStore<UInt64, UInt64>(options: options, device: device, logger: logger)
      let session = try store.newSession(name: "writer")
      for key in UInt64(0)..<3_000 { #expect(session.upsert(key, key) == .ok) }
      session.suspend()
      info = try store.checkpointAndWait(CheckpointRequest(kind: .foldOver))
      let statistics = store.statistics.checkpoint
      #expect(statistics.checkpoints == 1)
      #expect(statistics.failures == 0)
      #expect(statistics.bytesWritten == info.bytesWritten)
      #expect(statistics.lastDurationNanoseconds > 0)
      #expect(statistics.totalDurationNanoseconds == statistics.lastDurationNanoseconds)

      let metrics = FasterKVMetrics(dimensions: Self.dimensions, factory: backend)
      store.reportMetrics(to: metrics)
      #expect(try Self.counter(backend, "checkpoints_total") == 1)
      #expect(try Self.counter(backend, "checkpoint_written_bytes_total") == Int64(info.bytesWritten))
      let timer = try backend.expectTimer("faster_checkpoint_duration_seconds", Self.dimensions)
      #expect(timer.values == [Int64(statistics.lastDurationNanoseconds)])
      #expect(
        try backend.expectGauge("faster_checkpoint_last_duration_seconds", Self.dimensions).lastValue
          == Double(statistics.lastDurationNanoseconds) / 1e9)
      session.end()
    }
    let messages = handler.entries.map { "\($0.message)" }.filter { $0.contains("checkpoint") }
    #expect(
      messages == [
        "faster: checkpoint started", "faster: checkpoint index written",
        "faster: checkpoint sessions at the new version", "faster: checkpoint log written",
        "faster: checkpoint done",
      ])
    #expect(
      handler.entries.filter { "\($0.message)".contains("checkpoint") }.allSatisfy { $0.level == .info })
    let done = handler.entries.first { "\($0.message)" == "faster: checkpoint done" }
    #expect(done?.metadata["checkpoint.bytes"] == "\(info.bytesWritten)")
    #expect(done?.metadata["checkpoint.token"] == "\(info.token)")

    // Recovery: which checkpoint, what it replayed, in the log and the metrics.
    let (recoveryLogger, recoveryHandler) = ObservabilityTests.capturingLogger()
    let device = try Devices.open(
      .file, options: DeviceOptions(directory: directory.path), logger: FasterLogging.disabled)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(
      recoveringWith: options, device: device, logger: recoveryLogger)
    let report = try #require(store.recoveryReport)
    let recovery = try #require(store.statistics.recovery)
    #expect(recovery.bytesRead == report.bytesRead && recovery.recordsReplayed == report.recordsReplayed)
    #expect(recovery.bytesRead > 0)
    let recoveryMessages = recoveryHandler.entries.map { "\($0.message)" }.filter { $0.contains("recovery") }
    #expect(recoveryMessages == ["faster: recovery chose checkpoint", "faster: recovery done"])
    let chose = recoveryHandler.entries.first { "\($0.message)" == "faster: recovery chose checkpoint" }
    #expect(chose?.metadata["checkpoint.token"] == "\(info.token)")
    let recoveryBackend = TestMetrics()
    store.reportMetrics(to: FasterKVMetrics(dimensions: Self.dimensions, factory: recoveryBackend))
    #expect(
      try recoveryBackend.expectGauge("faster_recovery_records_replayed", Self.dimensions).lastValue
        == Double(report.recordsReplayed))
    #expect(
      try recoveryBackend.expectGauge("faster_recovery_duration_seconds", Self.dimensions).lastValue
        == Double(report.durationNanoseconds) / 1e9)
  }

  @Test func aFailedCheckpointIsCountedWithItsError() throws {
    let (logger, handler) = ObservabilityTests.capturingLogger()
    let store = try FixedSizeStore<UInt64, UInt64>(options: smallOptions(), logger: logger)
    #expect(throws: CheckpointError.self) { try store.checkpointAndWait() }
    let statistics = store.statistics.checkpoint
    #expect(statistics.checkpoints == 0 && statistics.failures == 1)
    #expect(statistics.lastError?.contains("checkpointDirectory") == true)
    let backend = TestMetrics()
    store.reportMetrics(to: FasterKVMetrics(dimensions: Self.dimensions, factory: backend))
    #expect(try Self.counter(backend, "checkpoint_failures_total") == 1)
    #expect(handler.entries.contains { $0.level == .error && "\($0.message)".contains("checkpoint failed") })
  }

  @Test func compactionIsCountedTimedAndLogged() throws {
    let (logger, handler) = ObservabilityTests.capturingLogger()
    let directory = TemporaryDirectory("compaction-metrics")
    let device = try Devices.open(
      .file, options: DeviceOptions(directory: directory.path), logger: FasterLogging.disabled)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(options: diskOptions(), device: device, logger: logger)
    let session = try store.newSession()
    for round in UInt64(0)..<2 {
      for key in UInt64(0)..<5_000 { #expect(session.upsert(key, key &+ round) == .ok) }
    }
    session.suspend()
    let report = try store.compact(until: store.headAddress)
    #expect(report.bytesReclaimed > 0)
    let statistics = store.statistics.compaction
    #expect(statistics.compactions == 1 && statistics.bytesReclaimed == report.bytesReclaimed)

    let backend = TestMetrics()
    store.reportMetrics(to: FasterKVMetrics(dimensions: Self.dimensions, factory: backend))
    #expect(try Self.counter(backend, "compactions_total", [("trigger", "manual")]) == 1)
    #expect(try Self.counter(backend, "compactions_total", [("trigger", "automatic")]) == 0)
    #expect(try Self.counter(backend, "compaction_reclaimed_bytes_total") == Int64(report.bytesReclaimed))
    #expect(try Self.counter(backend, "compaction_copied_bytes_total") == Int64(report.bytesCopied))
    #expect(try Self.counter(backend, "compaction_copied_records_total") == Int64(report.recordsCopied))
    #expect(try backend.expectTimer("faster_compaction_duration_seconds", Self.dimensions).values.count == 1)
    #expect(try backend.expectGauge("faster_compaction_failed", Self.dimensions).lastValue == 0)

    let entries = handler.entries.filter { "\($0.message)".contains("compaction") }
    #expect(entries.map { "\($0.message)" } == ["faster: compaction started", "faster: compaction done"])
    #expect(entries.allSatisfy { $0.level == .info })
    #expect(entries.last?.metadata["compaction.bytes.reclaimed"] == "\(report.bytesReclaimed)")
    session.end()
  }

  /// Checkpoint retention deletes the segments compaction left to it; when the device
  /// refuses, the failure shows in the statistics and the metrics, not only in the log.
  @Test func aFailedSegmentReleaseIsInTheCompactionStatistics() throws {
    let (logger, handler) = ObservabilityTests.capturingLogger()
    let directory = TemporaryDirectory("release-failure")
    let file = try Devices.open(
      .file, options: DeviceOptions(directory: directory.path), logger: FasterLogging.disabled)
    let device = RefusingTruncateDevice(file)
    defer { device.close() }
    let store = try FixedSizeStore<UInt64, UInt64>(
      options: checkpointOptions(directory), device: device, logger: logger)
    let session = try store.newSession()
    for key in UInt64(0)..<3_000 { #expect(session.upsert(key, key) == .ok) }
    session.suspend()
    _ = try store.checkpointAndWait()
    #expect(device.truncateCalls > 0, "retention asked the device to delete segments")
    let statistics = store.statistics.compaction
    #expect(statistics.segmentReleaseFailures == UInt64(device.truncateCalls))
    #expect(statistics.lastError?.contains("could not be deleted") == true)
    let backend = TestMetrics()
    store.reportMetrics(to: FasterKVMetrics(dimensions: Self.dimensions, factory: backend))
    #expect(
      try Self.counter(backend, "compaction_segment_release_failures_total") == Int64(device.truncateCalls))
    #expect(try backend.expectGauge("faster_compaction_failed", Self.dimensions).lastValue == 1)
    #expect(handler.entries.contains { $0.level == .warning && "\($0.message)".contains("could not delete") })
    session.end()
  }
}

/// A real device whose `truncate` always fails (as a read-only or busy directory would);
/// everything else passes through.
final class RefusingTruncateDevice: StorageDevice, @unchecked Sendable {
  // @unchecked Sendable: `calls` is guarded by `lock`.
  private let inner: any StorageDevice
  private let lock = NSLock()
  private var calls = 0

  init(_ inner: any StorageDevice) { self.inner = inner }

  var name: String { "refusing-truncate(\(inner.name))" }
  var alignment: Int { inner.alignment }
  var segmentSizeBytes: UInt64 { inner.segmentSizeBytes }
  var statistics: DeviceStatistics { inner.statistics }
  var truncateCalls: Int { lock.withLock { calls } }

  func write(_ buffer: UnsafeRawBufferPointer, at offset: UInt64, completion: @escaping IOCompletion) {
    inner.write(buffer, at: offset, completion: completion)
  }

  func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64, completion: @escaping IOCompletion)
  {
    inner.read(into: buffer, at: offset, completion: completion)
  }

  func flush() throws(DeviceError) { try inner.flush() }

  func truncate(before offset: UInt64) throws(DeviceError) {
    lock.withLock { calls += 1 }
    throw DeviceError(.permissionDenied, message: "segment files below \(offset) cannot be deleted (test)")
  }

  func close() { inner.close() }
}
