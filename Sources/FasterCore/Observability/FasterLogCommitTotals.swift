import FasterPlatform
import Logging

/// A FasterLog's commit counts, last failure and commit latency, fed by its commit worker
/// after each commit (never by enqueue).
///
/// Thread safety: `record` and the readers may run on any thread (a lock for the counts,
/// atomic words for the latency).
final class FasterLogCommitTotals: Sendable {
  private struct Counts {
    var commits: UInt64 = 0
    var failures: UInt64 = 0
    var lastError: String?
  }
  private let counts = ControlLock(Counts())
  /// Commit latency: the worker's commit from its start (flush of the tail) to the commit
  /// record being durable.
  let latency = LatencyHistogram()

  func record(_ outcome: Result<Void, FasterLogError>, nanoseconds: UInt64, logger: Logger) {
    switch outcome {
    case .success:
      counts.withLock { $0.commits += 1 }
      latency.record(nanoseconds: nanoseconds)
      logger.debug("FasterLog: committed", metadata: ["duration.ms": "\(Double(nanoseconds) / 1e6)"])
    case .failure(let error):
      let first = counts.withLock { counts in
        counts.failures += 1
        defer { counts.lastError = error.description }
        return counts.lastError == nil
      }
      // A failed device fails every later commit the same way: logged once.
      if first { logger.error("FasterLog: commit failed: \(error)") }
    }
  }

  var commits: UInt64 { counts.withLock { $0.commits } }
  var failures: UInt64 { counts.withLock { $0.failures } }
  var lastError: String? { counts.withLock { $0.lastError } }
}
