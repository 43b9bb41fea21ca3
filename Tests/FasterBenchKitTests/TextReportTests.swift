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
    #expect(report["READ", "Operations"] == 1000)
    #expect(report["READ", "Return=OK"] == 990)
    #expect(report["READ", "Return=NOT_FOUND"] == 10)
    #expect(report["READ", "Return=ERROR"] == nil)
    #expect(report["READ", "MinLatency(us)"] == 0.1)
    #expect(abs(report["READ", "AverageLatency(us)"]! - 50.05) < 0.05)
    #expect(abs(report["READ", "MaxLatency(us)"]! - 100) < 0.1)
    #expect(abs(report["READ", "50thPercentileLatency(us)"]! - 50) < 0.1)
    #expect(abs(report["READ", "99.9thPercentileLatency(us)"]! - 99.9) < 0.1)
    #expect(report["UPDATE", "Operations"] == 10)
    #expect(report.values["Intended-READ"] == nil)
  }

  @Test func sectionsComeInYCSBOrderAndOverallFirst() {
    let lines = TextReport.lines(
      for: phase(intended: false), percentiles: [95, 99], measurementInterval: .op)
    #expect(lines[0] == "[OVERALL], RunTime(ms), 2")
    #expect(lines[1].hasPrefix("[OVERALL], Throughput(ops/sec), "))
    #expect(lines[2] == "[READ], Operations, 1000")
    #expect(lines.contains { $0.hasPrefix("[READ], 95thPercentileLatency(us), 95") })
    let firstUpdate = lines.firstIndex { $0.hasPrefix("[UPDATE]") }!
    let lastRead = lines.lastIndex { $0.hasPrefix("[READ]") }!
    #expect(lastRead < firstUpdate)
  }

  @Test func bothMeasurementsAddIntendedSections() {
    let lines = TextReport.lines(for: phase(intended: true), percentiles: [99], measurementInterval: .both)
    let report = ParsedReport(lines)
    #expect(report["Intended-READ", "Operations"] == 1000)
    #expect(abs(report["Intended-READ", "AverageLatency(us)"]! - 150.15) < 0.2)
    #expect(report["READ", "Operations"] == 1000)
  }

  @Test func intendedOnlyReplacesThePlainSections() {
    let lines = TextReport.lines(
      for: phase(intended: true), percentiles: [99], measurementInterval: .intended)
    let report = ParsedReport(lines)
    #expect(abs(report["READ", "AverageLatency(us)"]! - 150.15) < 0.2)
    #expect(report.values["Intended-READ"] == nil)
  }

  @Test func prefixedLinesAreSkippedByParsers() {
    let lines = TextReport.lines(
      for: phase(intended: false), percentiles: [99], measurementInterval: .op, prefix: "# ")
    #expect(lines.allSatisfy { $0.hasPrefix("# [") })
    #expect(ParsedReport(lines).values.isEmpty)
  }

  @Test func percentileNamesFollowYCSB() {
    #expect(LatencyFormat.percentileName(95) == "95thPercentileLatency(us)")
    #expect(LatencyFormat.percentileName(99.9) == "99.9thPercentileLatency(us)")
    #expect(LatencyFormat.percentileName(99.99) == "99.99thPercentileLatency(us)")
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
