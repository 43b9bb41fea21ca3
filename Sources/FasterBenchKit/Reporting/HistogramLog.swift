import Foundation
import Histogram
import YCSB

/// `hdrhistogram.fileoutput=true`: one HdrHistogram interval log per measurement (`READ`,
/// `READ-FAILED`, `Intended-READ`, …), as YCSB writes `<hdrhistogram.output.path><NAME>.hdr`
/// with HdrHistogram's `HistogramLogWriter`: a version line, the start time, the legend, then
/// per status interval `start,length,max,histogram` (seconds from the start; the histogram in
/// base64 compressed V2). HdrHistogram's `HistogramLogReader` and `HistogramLogProcessor` (and
/// the other libraries' log readers) read these files. Values are nanoseconds (YCSB's are
/// microseconds); `Interval_Max` is printed in microseconds, as a `HistogramLogProcessor`
/// ratio of 1000 would.
public struct HistogramLog: Sendable {
  struct Entry: Sendable {
    var startSeconds: Double
    var lengthSeconds: Double
    var maxNanoseconds: UInt64
    var encoded: String
  }

  public let start: Date
  private(set) var entries: [String: [Entry]] = [:]
  /// Measurement names in first-seen order.
  public private(set) var names: [String] = []

  public init(start: Date) {
    self.start = start
  }

  /// Adds one interval's histograms (each non-empty one under its YCSB measurement name).
  mutating func append(_ measurements: OperationMeasurements, startSeconds: Double, lengthSeconds: Double) {
    for operation in Operation.allCases {
      let index = Int(operation.rawValue)
      let groups: [(String, [Histogram<UInt64>])] = [
        (operation.ycsbName, measurements.latency),
        (operation.ycsbName + "-FAILED", measurements.failedLatency),
        ("Intended-" + operation.ycsbName, measurements.intendedLatency),
        ("Intended-" + operation.ycsbName + "-FAILED", measurements.failedIntendedLatency),
      ]
      for (name, histograms) in groups where index < histograms.count && histograms[index].totalCount > 0 {
        if entries[name] == nil { names.append(name) }
        entries[name, default: []].append(
          Entry(
            startSeconds: max(0, startSeconds), lengthSeconds: lengthSeconds,
            maxNanoseconds: histograms[index].max, encoded: HistogramV2Codec.base64(histograms[index])))
      }
    }
  }

  /// The log file's text for measurement `name`.
  public func text(for name: String) -> String {
    let startSeconds = start.timeIntervalSince1970
    var text = "#[Histogram log format version 1.2]\n"
    text += "#[StartTime: \(String(format: "%.3f", startSeconds)) (seconds since epoch), \(start)]\n"
    text += "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\n"
    for entry in entries[name] ?? [] {
      text += String(
        format: "%.3f,%.3f,%.3f,", entry.startSeconds, entry.lengthSeconds,
        Double(entry.maxNanoseconds) / 1000)
      text += entry.encoded + "\n"
    }
    return text
  }
}
