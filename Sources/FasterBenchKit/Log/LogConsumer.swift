import FasterCore
import FasterPlatform
import FasterStorage
import Foundation
import Histogram

/// The FasterLog workload's consumer: one thread that follows the committed entries with a
/// ``FasterLogIterator`` and, for each producer entry, records now minus the enqueue
/// timestamp in its first 8 bytes (end-to-end latency). At the committed tail it blocks in
/// `waitForCommit`, which a commit resumes and which never asks for one, so the consumer
/// adds no commits to the run.
///
/// Each entry is checked: the commit sampler's entries are exactly `[1]`; a producer entry
/// has a size the workload can draw and a timestamp inside the run. Anything else stops the
/// consumer with an error (the iterator itself throws on a bad checksum).
///
/// Thread safety: `start` and `finish` are called by the benchmark's thread; the consumer's
/// state is shared through locks only at its 256-entry publications and at its end.
final class LogConsumer: Sendable {
  /// What the consumer saw.
  struct Outcome: Sendable {
    var consumed: UInt64
    var latency: Histogram<UInt64>
    var error: String?
  }

  /// The iterator's position as last published (every 256 entries, and before each wait).
  private let position = ControlLock<UInt64>(0)
  private let outcome = ControlLock<Outcome?>(nil)

  private init() {}

  static func start(
    _ log: FasterLog, _ iterator: FasterLogIterator, entrySize: LogEntrySize, startedNanoseconds: UInt64
  )
    -> LogConsumer
  {
    let consumer = LogConsumer()
    Thread.detachNewThread {
      consumer.consume(log, iterator, entrySize: entrySize, startedNanoseconds: startedNanoseconds)
    }
    return consumer
  }

  private func consume(
    _ log: FasterLog, _ iterator: FasterLogIterator, entrySize: LogEntrySize, startedNanoseconds: UInt64
  ) {
    var latency = OperationMeasurements.makeHistogram()
    var consumed: UInt64 = 0
    var failure: String? = nil
    following: while true {
      do {
        while let entry = try iterator.next() {
          let size = entry.bytes.count
          if size == 1 && entry.bytes[0] == 1 { continue }  // the commit-latency sampler's entry
          guard
            size >= entrySize.minimumBytes && size <= entrySize.maximumBytes
              && size >= LogBenchmark.stampBytes
          else {
            failure =
              "consumer: entry at \(entry.address.rawValue) has \(size) bytes, outside entry size \(entrySize.name) (torn entry)"
            break following
          }
          let stamp = entry.bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
          let now = monotonicNanoseconds()
          guard stamp >= startedNanoseconds && stamp <= now else {
            failure =
              "consumer: entry at \(entry.address.rawValue) carries timestamp \(stamp), outside the run (torn entry)"
            break following
          }
          latency.record(min(now - stamp, OperationMeasurements.highestTrackableNanoseconds))
          consumed += 1
          if consumed & 255 == 0 {
            let address = iterator.nextAddress.rawValue
            position.withLock { $0 = address }
          }
        }
        let address = iterator.nextAddress.rawValue
        position.withLock { $0 = address }
        try log.waitForCommit(until: Address(address + 1))
      } catch FasterLogError.closed {
        break following
      } catch {
        failure = "consumer: \(error)"
        break following
      }
    }
    let result = Outcome(consumed: consumed, latency: latency, error: failure)
    outcome.withLock { $0 = result }
  }

  /// Waits until the consumer has reached `committedUntil` (the final commit's tail), closes
  /// the log (which resumes its wait with `.closed`) and returns what it saw. A consumer that
  /// stops moving for `stallSeconds` is reported, not waited for forever.
  func finish(_ log: FasterLog, committedUntil: UInt64, stallSeconds: Double = 30) -> Outcome {
    var last = position.withLock { $0 }
    var lastMoved = monotonicNanoseconds()
    var stalled: String? = nil
    while outcome.withLock({ $0 }) == nil {
      let now = position.withLock { $0 }
      if now >= committedUntil { break }
      if now != last {
        last = now
        lastMoved = monotonicNanoseconds()
      } else if Double(monotonicNanoseconds() - lastMoved) / 1e9 > stallSeconds {
        stalled =
          "consumer: stalled at address \(now) for \(Int(stallSeconds)) s, the committed tail is \(committedUntil)"
        break
      }
      usleep(1_000)
    }
    log.close()
    let deadline = monotonicNanoseconds() + UInt64(stallSeconds * 1e9)
    while monotonicNanoseconds() < deadline {
      if var result = outcome.withLock({ $0 }) {
        result.error = result.error ?? stalled
        return result
      }
      usleep(1_000)
    }
    return Outcome(
      consumed: 0, latency: OperationMeasurements.makeHistogram(),
      error: stalled ?? "consumer: did not stop within \(Int(stallSeconds)) s of the log closing")
  }
}
