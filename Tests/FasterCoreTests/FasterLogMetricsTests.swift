import FasterStorage
import FasterTestSupport
import Foundation
import InMemoryLogging
import Logging
import MetricsTestKit
import Testing

@testable import FasterCore

/// FasterLog's statistics and swift-metrics figures after a known workload, and its
/// swift-log messages.
@Suite struct FasterLogMetricsTests {
  @Test func commitsBytesAndAddressesAreReported() throws {
    let directory = TemporaryDirectory("log-metrics")
    let recorder = NoticeRecorder()
    let device = try LogTestDevice.file.open(directory)
    defer { device.close() }
    let log = try FasterLog(settings: smallLogSettings(directory, notices: recorder), device: device)
    defer { log.close() }
    let backend = TestMetrics()
    let metrics = FasterLogMetrics(dimensions: [("log", "test")], factory: backend)
    let dimensions = [("log", "test")]

    for index in 0..<100 { _ = try log.enqueue(logPayload(index, length: 100)) }
    try log.commit(wait: true)
    for index in 100..<150 { _ = try log.enqueue(logPayload(index, length: 100)) }
    try log.commit(wait: true)
    let statistics = log.statistics
    #expect(statistics.commits >= 2, "each commit(wait:) runs one worker commit (or joins one)")
    #expect(statistics.commitFailures == 0 && statistics.lastCommitError == nil)
    #expect(statistics.committedUntilAddress == log.tailAddress.rawValue)
    #expect(statistics.commitLatency.count == statistics.commits)
    #expect(statistics.commitLatency.sumNanoseconds > 0)
    #expect(statistics.uncommittedBytes == 0)

    log.reportMetrics(to: metrics)
    func gauge(_ name: String, _ extra: [(String, String)] = []) throws -> Double? {
      try backend.expectGauge("fasterlog_\(name)", dimensions + extra).lastValue
    }
    #expect(try gauge("address_bytes", [("marker", "tail")]) == Double(log.tailAddress.rawValue))
    #expect(
      try gauge("address_bytes", [("marker", "committed")]) == Double(log.committedUntilAddress.rawValue))
    #expect(try gauge("address_bytes", [("marker", "begin")]) == Double(log.beginAddress.rawValue))
    #expect(try gauge("bytes") == Double(statistics.logBytes))
    #expect(try gauge("uncommitted_bytes") == 0)
    #expect(try gauge("commit_latency_seconds", [("quantile", "0.99")])! > 0)
    #expect(try gauge("failed") == 0)
    let commits = try backend.expectCounter("fasterlog_commits_total", dimensions).totalValue
    #expect(commits == Int64(statistics.commits))
    #expect(try backend.expectCounter("fasterlog_commit_failures_total", dimensions).totalValue == 0)
    let written = try backend.expectCounter(
      "fasterlog_device_written_bytes_total", dimensions + [("device", device.name)]
    ).totalValue
    #expect(written == Int64(device.statistics.bytesWritten) && written > 0)

    // Uncommitted bytes, then the next report counts the commit's bytes only.
    let before = log.committedUntilAddress.rawValue
    for index in 150..<160 { _ = try log.enqueue(logPayload(index, length: 100)) }
    log.reportMetrics(to: metrics)
    #expect(try gauge("uncommitted_bytes") == Double(log.tailAddress.rawValue - before))
    try log.commit(wait: true)
    log.reportMetrics(to: metrics)
    #expect(
      try backend.expectCounter("fasterlog_committed_bytes_total", dimensions).totalValue
        == Int64(log.committedUntilAddress.rawValue - before))

    let opened = recorder.handler.entries.first { "\($0.message)" == "FasterLog: opened" }
    #expect(opened?.level == .info)
    #expect(opened?.metadata["device"] == "\(device.name)")
    #expect(
      recorder.handler.entries.contains { $0.level == .debug && "\($0.message)" == "FasterLog: committed" })
  }
}
