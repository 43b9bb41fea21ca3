/// Reopening a log that was written before: its markers and its tail page come back, so
/// appends continue where the recovered log ends (FasterLog's recovery; checkpoint
/// recovery of the key-value store can use the same).
extension HybridLog {
  /// Sets the markers of this freshly created, unused log to those of a recovered one:
  /// `begin` and `tail`, with everything below the tail on the device. `tailPageBytes`
  /// are the device's bytes of the tail page below the tail ([page start, tail)); they go
  /// back into the page's frame so the next flush, widened to whole sectors, rewrites
  /// them unchanged.
  ///
  /// Markers afterwards: begin as given; closedUntil = head = max(begin, tail page start);
  /// flushedUntil = safeReadOnly = readOnly = tail.
  ///
  /// - Precondition: nothing was allocated yet; `begin <= tail`; the byte count matches.
  func restore(begin: Address, tail: Address, tailPageBytes: UnsafeRawBufferPointer) {
    precondition(
      buffer.tailWord.load(.sequentiallyConsistent) == Address.firstValid.rawValue,
      "restore needs a log nothing was allocated in")
    precondition(
      begin <= tail && begin >= Address.firstValid, "restore: begin \(begin) must be in [64, tail \(tail)]")
    let pageSize = UInt64(buffer.pageSizeBytes)
    let tailPageStart = tail.rawValue & ~(pageSize - 1)
    precondition(
      tailPageBytes.count == Int(tail.rawValue - tailPageStart), "restore: tail page bytes do not match")
    if let base = tailPageBytes.baseAddress, tailPageBytes.count > 0 {
      // Safety: the frame of the tail page is free (nothing was allocated) and the bytes fit
      // in it (fewer than a page).
      buffer.pointer(Address(tailPageStart)).copyMemory(from: base, byteCount: tailPageBytes.count)
    }
    let head = Swift.max(begin.rawValue, tailPageStart)
    buffer.beginWord.store(begin.rawValue, .sequentiallyConsistent)
    buffer.closedUntilWord.store(head, .sequentiallyConsistent)
    buffer.headWord.store(head, .sequentiallyConsistent)
    flushState.withLock { $0 = FlushTracker(start: tail.rawValue) }
    buffer.flushedUntilWord.store(tail.rawValue, .sequentiallyConsistent)
    buffer.safeReadOnlyWord.store(tail.rawValue, .sequentiallyConsistent)
    buffer.readOnlyWord.store(tail.rawValue, .sequentiallyConsistent)
    let tailWord = (tail.rawValue >> UInt64(buffer.pageSizeBits)) << 32 | (tail.rawValue & (pageSize - 1))
    buffer.tailWord.store(tailWord, .sequentiallyConsistent)
    lastCheckedMarkers.withLock { $0 = nil }
    checkInvariantsInDebugBuilds()
  }
}
