import Foundation
import Histogram
import Testing
import YCSB

@testable import FasterBenchKit

@Suite struct TextReportTests {
  func phase(intended: Bool) -> PhaseResult {
    var measurements = OperationMeasurements(recordsIntended: intended)
    for value in 1...1000 {
      measurements.record(
        .read, value % 100 == 0 ? .notFound : .ok, nanoseconds: UInt64(value) * 100,
        intendedNanoseconds: UInt64(value) * 300)
    }
    for value in 1...10 {
      measurements.record(
        .update, .ok, nanoseconds: UInt64(value) * 1000, intendedNanoseconds: UInt64(value) * 1000)
    }
    return PhaseResult(
      phase: .run, threadCount: 1, runtimeNanoseconds: 2_000_000, measurements: measurements,
      warmupOperations: 0, intervals: [], orderedIndexCost: OrderedIndexCost(),
      orderedIndexNanosecondsPerTick: 1,
      requestedOperations: 1010)
  }

  @Test func aYCSBParserReadsEveryLine() {
    let lines = TextReport.lines(
      for: phase(intended: false), percentiles: [50, 95, 99, 99.9], measurementInterval: .op)
    let report = ParsedReport(lines)
    #expect(report.values.values.reduce(0) { $0 + $1.count } == lines.count)  // every line parses
    #expect(report["OVERALL", "RunTime(ms)"] == 2)
    #expect(report["OVERALL", "Throughput(ops/sec)"] == 505_000)
    #expect(report["READ", "Operations"] == 990)  // YCSB 0.17: OK operations only
    #expect(report["READ-FAILED", "Operations"] == 10)
    #expect(report["READ-FAILED", "Return=NOT_FOUND"] == nil)
    #expect(abs(report["READ-FAILED", "MaxLatency(us)"]! - 100) < 0.1)
    #expect(report["READ", "Return=OK"] == 990)
    #expect(report["READ", "Return=NOT_FOUND"] == 10)
    #expect(report["READ", "Return=ERROR"] == nil)
    #expect(report["READ", "MinLatency(us)"] == 0.1)
    #expect(abs(report["READ", "AverageLatency(us)"]! - 50) < 0.05)
    #expect(abs(report["READ", "MaxLatency(us)"]! - 100) < 0.1)
    #expect(abs(report["READ", "50thPercentileLatency(us)"]! - 49.9) < 0.05)
    #expect(abs(report["READ", "99.9PercentileLatency(us)"]! - 99.8) < 0.1)
    #expect(report["UPDATE", "Operations"] == 10)
    #expect(report.values["Intended-READ"] == nil)
  }

  @Test func sectionsComeInYCSBOrderAndOverallFirst() {
    let lines = TextReport.lines(
      for: phase(intended: false), percentiles: [95, 99], measurementInterval: .op)
    #expect(lines[0] == "[OVERALL], RunTime(ms), 2")
    #expect(lines[1].hasPrefix("[OVERALL], Throughput(ops/sec), "))
    #expect(lines[2] == "[READ], Operations, 990")
    #expect(lines.contains { $0.hasPrefix("[READ], 95thPercentileLatency(us), 95") })
    let firstUpdate = lines.firstIndex { $0.hasPrefix("[UPDATE]") }!
    let lastRead = lines.lastIndex { $0.hasPrefix("[READ]") }!
    #expect(lastRead < firstUpdate)
  }

  @Test func bothMeasurementsAddIntendedSections() {
    let lines = TextReport.lines(for: phase(intended: true), percentiles: [99], measurementInterval: .both)
    let report = ParsedReport(lines)
    #expect(report["Intended-READ", "Operations"] == 990)
    #expect(report["Intended-READ-FAILED", "Operations"] == 10)
    #expect(abs(report["Intended-READ", "AverageLatency(us)"]! - 150) < 0.2)
    #expect(report["READ", "Operations"] == 990)
  }

  @Test func intendedOnlyReplacesThePlainSections() {
    let lines = TextReport.lines(
      for: phase(intended: true), percentiles: [99], measurementInterval: .intended)
    let report = ParsedReport(lines)
    #expect(abs(report["READ", "AverageLatency(us)"]! - 150) < 0.2)
    #expect(report.values["Intended-READ"] == nil)
  }

  @Test func prefixedLinesAreSkippedByParsers() {
    let lines = TextReport.lines(
      for: phase(intended: false), percentiles: [99], measurementInterval: .op, prefix: "# ")
    #expect(lines.allSatisfy { $0.hasPrefix("# [") })
    #expect(ParsedReport(lines).values.isEmpty)
  }

  @Test(arguments: [
    (1.0, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"), (21, "21st"),
    (22, "22nd"), (23, "23rd"), (50, "50th"), (95, "95th"), (99, "99th"), (100, "100th"), (99.9, "99.9"),
    (99.99, "99.99"), (12.5, "12.5"),
  ])
  func percentileNamesFollowYCSB(percentile: Double, prefix: String) {
    #expect(LatencyFormat.percentileName(percentile) == prefix + "PercentileLatency(us)")
  }

  /// 5999 operations of 1 µs and one of 1.35 µs: HdrHistogram 2.1.4 (YCSB) puts p99.99 at rank
  /// round(0.9999 × 6000) = 5999, i.e. 1 µs; rounding the rank up gave 6000, i.e. 1.35 µs.
  @Test func percentilesUseTheNearestRankAsYCSBDoes() {
    var histogram = OperationMeasurements.makeHistogram()
    histogram.record(1000, count: 5999)
    histogram.record(1350)
    #expect(histogram.ycsbValue(atPercentile: 99.99) == 1000)
    #expect(histogram.ycsbValue(atPercentile: 100) == histogram.max)
    #expect(histogram.ycsbValue(atPercentile: 0.01) == 1000)
    var measurements = OperationMeasurements(recordsIntended: false)
    for _ in 0..<5999 { measurements.record(.read, .ok, nanoseconds: 1000, intendedNanoseconds: 0) }
    measurements.record(.read, .ok, nanoseconds: 1350, intendedNanoseconds: 0)
    let result = PhaseResult(
      phase: .run, threadCount: 1, runtimeNanoseconds: 1e9, measurements: measurements, warmupOperations: 0,
      intervals: [], orderedIndexCost: OrderedIndexCost(), orderedIndexNanosecondsPerTick: 1,
      requestedOperations: 6000)
    let report = ParsedReport(
      TextReport.lines(for: result, percentiles: [99.99, 100], measurementInterval: .op))
    #expect(report["READ", "99.99PercentileLatency(us)"] == 1)
    #expect(report["READ", "100thPercentileLatency(us)"] == report["READ", "MaxLatency(us)"])
    let record = LatencyRecord(measurements.latency[0])
    #expect(record.nanoseconds.p99_99 == 1000)
  }

  @Test func statusLineFollowsYCSB() {
    var interval = OperationMeasurements(recordsIntended: false)
    for value in 1...100 {
      interval.record(.read, .ok, nanoseconds: UInt64(value) * 1000, intendedNanoseconds: 0)
    }
    let line = StatusLine.render(
      date: Date(timeIntervalSince1970: 0), elapsedSeconds: 10.4, totalOperations: 12345,
      currentOperationsPerSecond: 1234.567, remainingOperations: 2469, interval: interval)
    let pattern =
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d:\d{3} 10 sec: 12345 operations; 1234.57 current ops\/sec; est completion in 2 seconds \[READ: Count=100, Max=100(\.\d+)?, Min=1, Avg=50.5\d*, 90=90(\.\d+)?, 99=99(\.\d+)?, 99.9=100(\.\d+)?, 99.99=100(\.\d+)?\]$/
    #expect(line.wholeMatch(of: pattern) != nil, "\(line)")
  }

  @Test func remainingTimeUsesTheTwoLargestUnits() {
    #expect(StatusLine.remainingTime(3725) == "1 hour 2 minutes")
    #expect(StatusLine.remainingTime(59) == "59 seconds")
    #expect(StatusLine.remainingTime(0) == "0 seconds")
    #expect(StatusLine.remainingTime(86_400 * 2 + 5) == "2 days 5 seconds")
  }
}
