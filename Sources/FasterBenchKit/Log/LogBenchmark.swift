import FasterCore
import FasterPlatform
import FasterStorage
import Foundation
import Histogram

/// The FasterLog workload: `producers` threads enqueue entries of `entryBytes` for
/// `seconds` under a commit policy, and the log's throughput and commit latency are
/// measured.
///
/// Commit latency: with `.manual`, a committer thread calls `commit(wait: true)` in a loop
/// and each call is timed; with an automatic policy, a sampler thread enqueues a small
/// entry every millisecond and times how long until a commit covers it (what a producer
/// waiting for durability sees).
///
/// Thread safety: `run` blocks the caller and starts its own threads.
public struct LogBenchmark: Sendable {
  /// Producer threads.
  public var producers: Int = 2
  /// Payload bytes per entry.
  public var entryBytes: Int = 100
  /// Timed run length.
  public var seconds: Double = 5
  /// The log's commit policy.
  public var commitPolicy: LogCommitPolicy = .everyMilliseconds(5)
  /// Device kind for the log's segment files.
  public var device: DeviceKind = .uring
  /// Directory for segment files and commit records (emptied first).
  public var directory: String
  /// Hybrid log page size and memory.
  public var log = HybridLogSettings(pageSizeBytes: 1 << 22, memoryBytes: 1 << 25)

  public init(directory: String) { self.directory = directory }

  /// What a run measured.
  public struct Result: Sendable {
    public var appends: UInt64
    public var payloadBytes: UInt64
    public var seconds: Double
    public var commits: UInt64
    public var commitLatencyMicrosP50: Double
    public var commitLatencyMicrosP99: Double
    public var commitLatencyMicrosMax: Double
    public var appendsPerSecond: Double { Double(appends) / seconds }
    public var megabytesPerSecond: Double { Double(payloadBytes) / seconds / 1_000_000 }

    /// A short text report.
    public var text: String {
      String(
        format:
          "appends: %llu in %.2f s, %.0f appends/s, %.1f MB/s (payload), commits: %llu, commit latency µs p50 %.0f p99 %.0f max %.0f",
        appends, seconds, appendsPerSecond, megabytesPerSecond, commits, commitLatencyMicrosP50,
        commitLatencyMicrosP99, commitLatencyMicrosMax)
    }
  }

  /// Parses `manual`, `bytes:<n>`, `ms:<n>` or `page`.
  public static func parsePolicy(_ text: String) -> LogCommitPolicy? {
    if text == "manual" { return .manual }
    if text == "page" { return .onPageFull }
    let parts = text.split(separator: ":")
    guard parts.count == 2, let value = Int(parts[1]), value > 0 else { return nil }
    switch parts[0] {
    case "bytes": return .everyBytes(value)
    case "ms": return .everyMilliseconds(value)
    default: return nil
    }
  }

  /// Runs the workload.
  public func run() throws -> Result {
    try? FileManager.default.removeItem(atPath: directory)
    var settings = FasterLogSettings(directory: directory)
    settings.log = log
    settings.commitPolicy = commitPolicy
    let fasterLog = try FasterLog(settings: settings, deviceKind: device, segmentSizeBytes: 1 << 30)
    defer { fasterLog.close() }
    let stop = ControlLock(false)
    let appends = ControlLock<UInt64>(0)
    let latency = ControlLock(OperationMeasurements.makeHistogram())
    let payload = [UInt8](repeating: 0xA5, count: entryBytes)
    let clock = ContinuousClock()
    let started = clock.now
    let finished = ControlLock(0)
    var bodies: [@Sendable () -> Void] = []
    for _ in 0..<producers {
      bodies.append {
        var count: UInt64 = 0
        while count & 1023 != 0 || !stop.withLock({ $0 }) {
          _ = try? fasterLog.enqueue(payload)
          count += 1
        }
        appends.withLock { $0 += count }
      }
    }
    bodies.append { [commitPolicy] in
      while !stop.withLock({ $0 }) {
        let start = clock.now
        if commitPolicy == .manual {
          try? fasterLog.commit(wait: true)
        } else {
          guard let address = try? fasterLog.enqueue([1]) else { break }
          try? fasterLog.waitForCommit(until: Address(address.rawValue + 16))
          usleep(1_000)
        }
        let elapsed = clock.now - start
        let nanoseconds =
          UInt64(elapsed.components.seconds) * 1_000_000_000
          + UInt64(elapsed.components.attoseconds / 1_000_000_000)
        latency.withLock { _ = $0.record(nanoseconds) }
      }
    }
    for body in bodies {
      Thread.detachNewThread {
        body()
        finished.withLock { $0 += 1 }
      }
    }
    Thread.sleep(forTimeInterval: seconds)
    stop.withLock { $0 = true }
    try fasterLog.commit(wait: true)
    while finished.withLock({ $0 }) < bodies.count { usleep(1_000) }
    let elapsed = clock.now - started
    let histogram = latency.withLock { $0 }
    let total = appends.withLock { $0 }
    return Result(
      appends: total, payloadBytes: total * UInt64(entryBytes),
      seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
      commits: fasterLog.device.statistics.flushes,
      commitLatencyMicrosP50: Double(histogram.valueAtPercentile(50)) / 1_000,
      commitLatencyMicrosP99: Double(histogram.valueAtPercentile(99)) / 1_000,
      commitLatencyMicrosMax: Double(histogram.max) / 1_000)
  }
}
