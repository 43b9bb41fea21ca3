/// Moving the head: pages below it leave memory, and an epoch later their frames are
/// zeroed and offered to new pages.
extension HybridLog {
  /// Raises the head to `address` (page-aligned, at most `flushedUntil`): reads below it
  /// go to the device from now on. An epoch later, when no thread can still be reading
  /// the frames, they are zeroed and become free.
  func shiftHead(to address: Address) {
    let pageMask = UInt64(buffer.pageSizeBytes) - 1
    let target = Swift.min(address.rawValue, buffer.flushedUntilWord.load(.acquiring)) & ~pageMask
    guard buffer.headWord.raise(to: target) else { return }
    epoch.bumpEpoch { [self] in
      evict(until: target)
      checkInvariantsInDebugBuilds()
    }
  }

  /// Zeroes the frames of the pages below `target` that are not yet closed, then raises
  /// `closedUntil`. Runs as an epoch action (no thread can see those frames).
  ///
  /// Each frame is zeroed *before* `closedUntil` passes it: the moment it does, another
  /// thread may open a new page in that frame and write records there (zeroing after
  /// the raise once wiped such records). The lock keeps concurrent evictions (epoch
  /// actions may run on several threads) from zeroing a frame that was closed and
  /// reopened in between.
  private func evict(until target: UInt64) {
    let pageSize = UInt64(buffer.pageSizeBytes)
    evictionLock.withLock { _ in
      var closed = buffer.closedUntilWord.load(.acquiring)
      while closed < target {
        let pageStart = closed & ~(pageSize - 1)
        let next = Swift.min(pageStart + pageSize, target)
        if next == pageStart + pageSize {
          // Safety: the head passed this page an epoch ago; no thread holds a pointer into
          // it, and no new page can use the frame until `closedUntil` passes it below.
          buffer.pointer(Address(pageStart)).initializeMemory(
            as: UInt8.self, repeating: 0, count: Int(pageSize))
        }
        buffer.closedUntilWord.store(next, .releasing)
        closed = next
      }
    }
  }
}
