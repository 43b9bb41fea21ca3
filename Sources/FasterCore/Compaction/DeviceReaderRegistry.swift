import CFasterShims
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Who may still read log records from the device below a begin address that compaction
/// is about to move: pending operations following a hash chain, and scans.
///
/// A reader enters in the same epoch-protected span in which it read the begin address
/// (tracing a chain), and leaves when its device part is over; it follows chains down
/// to its generation's begin (`begin(forTicket:)`), never lower.
///
/// Truncation (`retireOlderReaders`), after raising the log's begin to `newBegin`:
/// 1. waits an epoch: every span that could have seen the old begin has ended, so each
///    such reader has entered, in the current generation;
/// 2. records `newBegin` for the next generation and flips to it;
/// 3. waits until the old generation's count drains; only then are segment files
///    deleted. So a reader always finds on the device every record at or above its
///    generation's begin. (A reader that entered the old generation after step 3 saw
///    the new begin in its trace; a chain it follows lower ends in a deleted segment,
///    which it reports as not found: correct for it.)
///
/// Thread safety: `enter` and `leave` from any thread; `retireOlderReaders` from one
/// control-plane thread at a time (compaction holds its lock).
final class DeviceReaderRegistry: Sendable {
  private let generation = Atomic<UInt64>(0)
  private let evenCount = Atomic<Int>(0)
  private let oddCount = Atomic<Int>(0)
  private let evenBegin = Atomic<UInt64>(Address.firstValid.rawValue)
  private let oddBegin = Atomic<UInt64>(Address.firstValid.rawValue)

  /// The lowest address a reader holding `ticket` may read.
  func begin(forTicket ticket: UInt64) -> Address {
    Address(
      ticket & 1 == 0
        ? evenBegin.load(ordering: .sequentiallyConsistent) : oddBegin.load(ordering: .sequentiallyConsistent)
    )
  }

  private func count(_ generation: UInt64) -> Int {
    generation & 1 == 0
      ? evenCount.load(ordering: .sequentiallyConsistent) : oddCount.load(ordering: .sequentiallyConsistent)
  }

  /// Counts a reader in; the caller must be epoch-protected and read the begin address
  /// after this returns. Returns the ticket for `leave`.
  func enter() -> UInt64 {
    let current = generation.load(ordering: .sequentiallyConsistent)
    if current & 1 == 0 {
      evenCount.add(1, ordering: .sequentiallyConsistent)
    } else {
      oddCount.add(1, ordering: .sequentiallyConsistent)
    }
    return current
  }

  func leave(_ ticket: UInt64) {
    if ticket & 1 == 0 {
      evenCount.subtract(1, ordering: .sequentiallyConsistent)
    } else {
      oddCount.subtract(1, ordering: .sequentiallyConsistent)
    }
  }

  /// Waits until every reader that may have seen a begin below `newBegin` has left.
  /// The log's begin must already be `newBegin`; the caller must not be epoch-protected.
  func retireOlderReaders(newBegin: Address, epoch: LightEpoch) {
    _ = epoch.bumpEpoch {}
    epoch.drainAll()
    let current = generation.load(ordering: .sequentiallyConsistent)
    if current & 1 == 0 {
      oddBegin.store(newBegin.rawValue, ordering: .sequentiallyConsistent)
    } else {
      evenBegin.store(newBegin.rawValue, ordering: .sequentiallyConsistent)
    }
    let old = generation.add(1, ordering: .sequentiallyConsistent).oldValue
    var spins = 0
    while count(old) != 0 {
      spins &+= 1
      if spins < 1 << 10 { cfaster_spin_pause() } else { usleep(100) }
    }
  }
}
