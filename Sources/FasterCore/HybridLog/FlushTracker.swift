import FasterStorage

/// The flush bookkeeping of a hybrid log: which log ranges were handed to the device,
/// which completed, how far the log is contiguously on the device, and which writes wait
/// for another. A plain value, used under `HybridLog`'s flush lock; no I/O of its own.
///
/// Invariants (`checkInvariants`):
/// - `flushedUntil <= requestedUntil`; both only grow.
/// - `completed` holds disjoint ranges in address order, each starting above
///   `flushedUntil` (a range that touches it is folded in at once) and ending at most at
///   `requestedUntil`.
/// - `waiting` holds disjoint ranges in [flushedUntil, requestedUntil), each released
///   exactly once: when the range ending at its lower bound completes.
///
/// Sector sharing: a range that ends mid-sector (a flush of an unaligned tail) and the
/// next range both write that sector (writes are widened to whole sectors). A device may
/// run two in-flight writes in either order, and the older copy of the shared sector
/// landing last would leave stale bytes below `flushedUntil`, so the next range waits
/// until its predecessor completes.
struct FlushTracker {
  /// Everything below was handed to the device or is in `waiting`.
  private(set) var requestedUntil: UInt64
  /// Everything below is on the device (written and completed).
  private(set) var flushedUntil: UInt64
  /// Completed ranges above `flushedUntil`, not yet contiguous with it.
  private(set) var completed: [Range<UInt64>] = []
  /// Ranges whose write waits for the range before them to complete (they share a sector).
  private(set) var waiting: [Range<UInt64>] = []
  /// The last range requested, while its end is mid-sector and it has not completed: a
  /// range starting at its end must wait for it.
  private var sectorSharer: Range<UInt64>?
  /// The first write failure; once set, nothing more is flushed.
  private(set) var error: DeviceError?

  init(start: UInt64) {
    requestedUntil = start
    flushedUntil = start
  }

  /// Splits [requestedUntil, target) into page-bounded ranges and returns those that may
  /// be written now; the others wait in `waiting`.
  mutating func request(until target: UInt64, pageSizeBytes: Int, alignment: Int) -> [Range<UInt64>] {
    guard target > requestedUntil else { return [] }
    let pageSize = UInt64(pageSizeBytes)
    let sectorMask = UInt64(alignment) - 1
    var ready: [Range<UInt64>] = []
    var start = requestedUntil
    while start < target {
      let pageEnd = (start & ~(pageSize - 1)) + pageSize
      let range = start..<Swift.min(pageEnd, target)
      if start & sectorMask != 0 && sectorSharer?.upperBound == start {
        waiting.append(range)
      } else {
        ready.append(range)
      }
      sectorSharer = range.upperBound & sectorMask != 0 ? range : nil
      start = range.upperBound
    }
    requestedUntil = target
    return ready
  }

  /// Records that `range` is on the device. Returns the range released by it (the one
  /// waiting for this range's end), if any; `flushedUntil` has advanced as far as the
  /// completed ranges are contiguous.
  mutating func complete(_ range: Range<UInt64>) -> Range<UInt64>? {
    assert(range.upperBound <= requestedUntil, "a range completed that was never requested")
    if sectorSharer == range { sectorSharer = nil }
    var released: Range<UInt64>? = nil
    if let index = waiting.firstIndex(where: { $0.lowerBound == range.upperBound }) {
      released = waiting.remove(at: index)
    }
    let position = completed.firstIndex { $0.lowerBound > range.lowerBound } ?? completed.endIndex
    completed.insert(range, at: position)
    while let first = completed.first, first.lowerBound <= flushedUntil {
      flushedUntil = Swift.max(flushedUntil, first.upperBound)
      completed.removeFirst()
    }
    return released
  }

  /// Records a failed write: the first error is kept, and nothing below the failed
  /// range's end can count as flushed any more.
  mutating func fail(_ failure: DeviceError) {
    if error == nil { error = failure }
  }

  /// Checks the invariants above; returns a description of each violation.
  func invariantViolations() -> [String] {
    var problems: [String] = []
    if flushedUntil > requestedUntil {
      problems.append("flushedUntil \(flushedUntil) > requestedUntil \(requestedUntil)")
    }
    if let first = completed.first, first.lowerBound <= flushedUntil {
      problems.append("completed range \(first) touches flushedUntil \(flushedUntil) but was not folded in")
    }
    var previousEnd = flushedUntil
    for range in completed {
      if range.lowerBound < previousEnd {
        problems.append("completed range \(range) overlaps what precedes it (\(previousEnd))")
      }
      if range.upperBound > requestedUntil {
        problems.append("completed range \(range) ends past requestedUntil \(requestedUntil)")
      }
      previousEnd = range.upperBound
    }
    for range in waiting where range.lowerBound < flushedUntil || range.upperBound > requestedUntil {
      problems.append("waiting range \(range) outside [\(flushedUntil), \(requestedUntil))")
    }
    return problems
  }
}
