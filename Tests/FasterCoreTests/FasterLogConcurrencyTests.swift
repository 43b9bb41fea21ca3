import FasterStorage
import FasterTestSupport
import Foundation
import Testing

@testable import FasterCore

/// Many producers at once, with commits racing the enqueues and a consumer following the
/// tail: every committed entry appears exactly once, intact, and each producer's entries
/// in the order it enqueued them. Runs under the thread sanitizer in CI.
@Suite struct FasterLogConcurrencyTests {
  /// A payload naming its producer and sequence, the rest derived from both.
  static func payload(thread: Int, sequence: Int, length: Int) -> [UInt8] {
    var bytes = [UInt8(thread)] + withUnsafeBytes(of: UInt32(sequence).littleEndian) { Array($0) }
    bytes += (0..<Swift.max(0, length - 5)).map {
      UInt8(truncatingIfNeeded: thread &* 17 &+ sequence &* 5 &+ $0)
    }
    return bytes
  }

  /// Checks `entries` against the producers' counts; returns the problems found.
  static func check(_ entries: [FasterLogEntry], threads: Int, perThread: Int) -> [String] {
    var problems: [String] = []
    var nextSequence = [Int](repeating: 0, count: threads)
    var previous: Address? = nil
    for entry in entries {
      if let previous, entry.address <= previous {
        problems.append("address order broken at \(entry.address)")
      }
      previous = entry.address
      guard entry.bytes.count >= 5 else {
        problems.append("short entry at \(entry.address)")
        continue
      }
      let thread = Int(entry.bytes[0])
      let sequence = Int(
        entry.bytes[1..<5].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * $1.offset) })
      guard thread < threads else {
        problems.append("unknown producer \(thread) at \(entry.address)")
        continue
      }
      if sequence != nextSequence[thread] {
        problems.append("producer \(thread): sequence \(sequence) where \(nextSequence[thread]) was due")
      }
      if entry.bytes != payload(thread: thread, sequence: sequence, length: entry.bytes.count) {
        problems.append("entry \(thread)/\(sequence) at \(entry.address) is not intact")
      }
      nextSequence[thread] = sequence + 1
    }
    for (thread, count) in nextSequence.enumerated() where count != perThread {
      problems.append("producer \(thread): \(count) of \(perThread) entries")
    }
    return problems
  }

  @Test(arguments: [LogCommitPolicy.manual, .everyBytes(8_192)])
  func producersCommittersAndAFollowerAgree(policy: LogCommitPolicy) throws {
    let seed = testSeed("FasterLogConcurrencyTests.producers(\(policy))")
    let directory = TemporaryDirectory("log-concurrent")
    let device = try LogTestDevice.file.open(directory)
    defer { device.close() }
    var settings = smallLogSettings(directory, policy: policy)
    settings.log.memoryBytes = 1 << 15
    let threads = 4
    let perThread = 600
    let total = threads * perThread
    let followed = NSLock()
    nonisolated(unsafe) var followerEntries: [FasterLogEntry] = []
    nonisolated(unsafe) var followerError: FasterLogError? = nil
    do {
      let log = try FasterLog(settings: settings, device: device)
      let follower = Thread {
        let iterator = log.iterator(from: log.beginAddress)
        var seen: [FasterLogEntry] = []
        do {
          while seen.count < total {
            if let entry = try iterator.next() {
              seen.append(entry)
            } else {
              try log.waitForCommit(until: Address(iterator.nextAddress.rawValue + 1))
            }
          }
        } catch {
          followed.withLock { followerError = error as? FasterLogError ?? .closed }
        }
        followed.withLock { followerEntries = seen }
      }
      follower.start()
      DispatchQueue.concurrentPerform(iterations: threads) { thread in
        var random = TestRandom(seed: seed &+ UInt64(thread))
        for sequence in 0..<perThread {
          let payload = Self.payload(thread: thread, sequence: sequence, length: 5 + random.next(below: 300))
          if random.next(below: 10) == 0 {
            _ = try! log.enqueue(batch: [payload])
          } else {
            _ = try! log.enqueue(payload)
          }
          switch random.next(below: 100) {
          case 0: try! log.commit(wait: true)
          case 1: try! log.commit(wait: false)
          default: break
          }
        }
      }
      try log.commit(wait: true)
      while followed.withLock({ followerEntries.count < total && followerError == nil })
        && !follower.isFinished
      {
        usleep(1_000)
      }
      while !follower.isFinished { usleep(1_000) }
      #expect(followerError == nil)
      let entries = try allEntries(log)
      #expect(Self.check(entries, threads: threads, perThread: perThread) == [])
      #expect(followerEntries == entries, "the follower saw the same entries as a scan")
      log.close()
    }
    let log = try FasterLog(settings: settings, device: device)
    defer { log.close() }
    #expect(Self.check(try allEntries(log), threads: threads, perThread: perThread) == [])
  }
}
