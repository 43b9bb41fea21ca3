import FasterPlatform
import FasterStorage
import Foundation

/// The background thread of `AutoCompactionPolicy`: wakes every check interval, asks
/// the store whether a trigger fires, and compacts.
///
/// It holds the store weakly (strongly only during a check), so the store's deinit stops
/// it: `stop()` signals the thread, which exits at its next wake without touching the
/// store. Not joined there (deinit may run on the thread itself, after its last check);
/// `FasterKV.close()` joins it with `stopAndWait()`.
///
/// Thread safety: `stop()` from any thread; `stopAndWait()` from any thread but its own.
final class AutoCompactor: @unchecked Sendable {
  // @unchecked Sendable: `stopped` is a condition-guarded flag; the rest is immutable.
  private let condition = NSCondition()
  private var stopped = false
  /// Set by the thread as it exits (after its last check).
  private var exited = false

  init<Layout: RecordLayout>(store: FasterKV<Layout>, policy: AutoCompactionPolicy) throws(FasterError) {
    weak let weakStore = store
    let interval = TimeInterval(policy.checkIntervalMilliseconds) / 1000
    do {
      _ = try PlatformThread(detached: true) { [self] in
        defer { markExited() }
        while waitOrStop(interval) {
          guard let store = weakStore else { return }
          store.runAutoCompactionCheck(policy)
        }
      }
    } catch {
      throw .invalidConfiguration("autoCompaction: could not start its thread: \(error)")
    }
  }

  /// Waits `interval`; false once stopped.
  private func waitOrStop(_ interval: TimeInterval) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    if !stopped { _ = condition.wait(until: Date(timeIntervalSinceNow: interval)) }
    return !stopped
  }

  func stop() {
    condition.lock()
    stopped = true
    condition.broadcast()
    condition.unlock()
  }

  /// Stops the thread and waits until it has exited: a compaction it is running finishes
  /// first. Not from the thread itself (it would wait for itself).
  func stopAndWait() {
    condition.lock()
    stopped = true
    condition.broadcast()
    while !exited { condition.wait() }
    condition.unlock()
  }

  private func markExited() {
    condition.lock()
    exited = true
    condition.broadcast()
    condition.unlock()
  }
}

extension FasterKV {
  /// One check of the automatic policy; failures are kept in the statistics
  /// (`compaction.lastError`) and retried at the next check.
  func runAutoCompactionCheck(_ policy: AutoCompactionPolicy) {
    let begin = log.beginAddress.rawValue
    let head = log.buffer.closedUntilAddress.rawValue
    guard head > begin else { return }
    let deviceBytes = head - begin
    var fire = false
    if let limit = policy.maxDeviceLogBytes, deviceBytes > limit { fire = true }
    let until = Address(begin + UInt64(Double(deviceBytes) * policy.compactFraction))
    if !fire, let minimum = policy.minLiveFraction, deviceBytes >= policy.minDeviceLogBytes {
      do {
        let fraction = try sampledLiveFraction(until: until, records: policy.sampleRecords)
        compactionTotals.withLock { $0.lastSampledLiveFraction = fraction }
        fire = fraction < minimum
      } catch {
        compactionTotals.withLock { $0.lastError = error.description }
      }
    }
    guard fire else { return }
    _ = try? compact(until: until, method: policy.method, automatic: true)
  }

  /// The live share of the first `records` published records from the begin (below
  /// `until`): what a compaction of that range would copy, per record.
  func sampledLiveFraction(until: Address, records: Int) throws(ScanError) -> Double {
    let reader = try DeviceReader(store: self)
    defer { reader.finish() }
    var sampled = 0
    var live = 0
    var failure: ScanError?
    do throws(DeviceError) {
      try log.scan(from: reader.begin, until: until, format: Layout.self) { address, record, _ in
        let info = RecordInfo(rawValue: record.load(as: UInt64.self))
        if info.isInvalid { return true }
        sampled += 1
        if !info.isTombstone {
          do throws(ScanError) {
            if try reader.isNewest(record, at: address) { live += 1 }
          } catch {
            failure = error
            return false
          }
        }
        return sampled < records
      }
    } catch {
      throw .device(error)
    }
    if let failure { throw failure }
    return sampled == 0 ? 1 : Double(live) / Double(sampled)
  }
}
