/// The hybrid log's invariants, checked in code.
///
/// `checkInvariants()` is expensive (it takes the flush lock and reads every marker): the
/// stress and model tests call it, and debug builds (`FASTER_CHECK_INVARIANTS`, set by
/// Package.swift for debug) run it after every marker shift and eviction.
extension HybridLog {
  /// The markers now, read from the lowest up: each marker only grows and never passes
  /// the next higher one, so a higher marker read later is at least what it was when the
  /// lower one was read, and the chain's inequalities hold in the snapshot even while
  /// other threads move the markers.
  func readMarkers() -> LogMarkers {
    let begin = buffer.beginWord.load(.sequentiallyConsistent)
    let closedUntil = buffer.closedUntilWord.load(.sequentiallyConsistent)
    let head = buffer.headWord.load(.sequentiallyConsistent)
    let flushedUntil = buffer.flushedUntilWord.load(.sequentiallyConsistent)
    let safeReadOnly = buffer.safeReadOnlyWord.load(.sequentiallyConsistent)
    let readOnly = buffer.readOnlyWord.load(.sequentiallyConsistent)
    let tail = buffer.tailAddress.rawValue
    return LogMarkers(
      begin: begin, closedUntil: closedUntil, head: head, flushedUntil: flushedUntil,
      safeReadOnly: safeReadOnly, readOnly: readOnly, tail: tail)
  }

  /// Every violated invariant, described; empty when the log is consistent. Safe to call
  /// while other threads operate.
  func invariantViolations() -> [String] {
    // Snapshots are taken under the lock, so they are ordered in time like the checks.
    var problems: [String] = []
    let markers = lastCheckedMarkers.withLock { last in
      let markers = readMarkers()
      if let last { problems += markers.markersThatMovedBack(since: last) }
      last = markers
      return markers
    }
    let chain: [(String, UInt64)] = [
      ("begin", markers.begin), ("closedUntil", markers.closedUntil), ("head", markers.head),
    ]
    for (lower, upper) in zip(chain, chain.dropFirst()) where lower.1 > upper.1 {
      problems.append("\(lower.0) \(lower.1) > \(upper.0) \(upper.1)")
    }
    if device != nil && markers.head > markers.flushedUntil {
      problems.append(
        "head \(markers.head) > flushedUntil \(markers.flushedUntil): an unflushed page was evicted")
    }
    if device == nil && (markers.head != markers.begin || markers.flushedUntil != markers.begin) {
      problems.append("memory only, but head \(markers.head) or flushedUntil \(markers.flushedUntil) moved")
    }
    let upperChain: [(String, UInt64)] = [
      ("head", markers.head), ("safeReadOnly", markers.safeReadOnly), ("readOnly", markers.readOnly),
      ("tail", markers.tail),
    ]
    for (lower, upper) in zip(upperChain, upperChain.dropFirst()) where lower.1 > upper.1 {
      problems.append("\(lower.0) \(lower.1) > \(upper.0) \(upper.1)")
    }
    if markers.flushedUntil > markers.safeReadOnly && device != nil {
      problems.append("flushedUntil \(markers.flushedUntil) > safeReadOnly \(markers.safeReadOnly)")
    }
    // The tail never runs more than the buffer ahead of the free frames (read in this
    // order, tail first, for the same reason as above).
    let tailBeforeClosed = buffer.tailAddress.rawValue
    let closedAfterTail = buffer.closedUntilWord.load(.sequentiallyConsistent)
    if tailBeforeClosed > closedAfterTail + UInt64(settings.memoryBytes) {
      problems.append(
        "tail \(tailBeforeClosed) is more than the buffer (\(settings.memoryBytes) bytes) past closedUntil \(closedAfterTail)"
      )
    }
    let tracker = flushState.withLock { $0 }
    problems += tracker.invariantViolations().map { "flush: \($0)" }
    if tracker.flushedUntil < markers.flushedUntil {
      problems.append(
        "flushedUntil word \(markers.flushedUntil) is past the tracker's \(tracker.flushedUntil)")
    }
    return problems
  }

  /// Stops the process with the violations if any invariant is broken.
  func checkInvariants() {
    let problems = invariantViolations()
    precondition(problems.isEmpty, "hybrid log invariants violated: \(problems.joined(separator: "; "))")
  }

  /// `checkInvariants()` in builds that define `FASTER_CHECK_INVARIANTS`; nothing otherwise.
  @inline(__always)
  func checkInvariantsInDebugBuilds() {
    #if FASTER_CHECK_INVARIANTS
      checkInvariants()
    #endif
  }
}
