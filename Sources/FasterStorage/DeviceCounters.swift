import Synchronization

/// The live counters behind `DeviceStatistics`, updated by device threads with relaxed atomics.
///
/// Thread safety: every member may be used from any thread; a snapshot is not atomic as a whole
/// (each counter is exact, the set may be mid-update), which is enough for results reporting.
final class DeviceCounters: Sendable {
  private let reads = Atomic<UInt64>(0)
  private let writes = Atomic<UInt64>(0)
  private let bytesRead = Atomic<UInt64>(0)
  private let bytesWritten = Atomic<UInt64>(0)
  private let flushes = Atomic<UInt64>(0)

  init() {}

  func recordRead(bytes: Int) {
    reads.add(1, ordering: .relaxed)
    bytesRead.add(UInt64(bytes), ordering: .relaxed)
  }

  func recordWrite(bytes: Int) {
    writes.add(1, ordering: .relaxed)
    bytesWritten.add(UInt64(bytes), ordering: .relaxed)
  }

  func recordFlush() {
    flushes.add(1, ordering: .relaxed)
  }

  /// Records a finished I/O of `kind` if it succeeded.
  func record(_ kind: IOKind, _ result: Result<Int, DeviceError>) {
    guard case .success(let bytes) = result else { return }
    switch kind {
    case .read: recordRead(bytes: bytes)
    case .write: recordWrite(bytes: bytes)
    }
  }

  var snapshot: DeviceStatistics {
    DeviceStatistics(
      reads: reads.load(ordering: .relaxed), writes: writes.load(ordering: .relaxed),
      bytesRead: bytesRead.load(ordering: .relaxed), bytesWritten: bytesWritten.load(ordering: .relaxed),
      flushes: flushes.load(ordering: .relaxed))
  }
}
