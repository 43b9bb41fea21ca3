import CFasterShims
import Dispatch
import FasterStorage

/// Walking the records of a log range, for any record format: the base that compaction,
/// checkpoints, recovery, FasterLog's iterators and tooling build on.
///
/// Each page is first copied into private memory: a page in memory under epoch
/// protection (so it cannot be evicted mid-copy), a page below the head read from the
/// device. Records are then handed out from the copy, so the caller never holds a
/// pointer into the live buffer. A page ends at its first zero header word (the unused
/// rest of the page) or at the page end.
///
/// Stability: records below `safeReadOnlyAddress` never change; a range reaching into the
/// mutable region sees whatever bytes were there when its page was copied (a record
/// being written may be cut off there, and then ends that page's walk).
extension HybridLog {
  /// Calls `body` with each record in [from, until), in address order, until it returns
  /// false. `from` must be a record boundary (`beginAddress`, a record's address or a
  /// page start); records are reported by address, start pointer (into private memory,
  /// valid during the call) and size.
  ///
  /// - Throws: the device's error if a page cannot be read, `.corruptData` if a record's
  ///   size cannot be right.
  /// - Note: takes an epoch slot of its own for the in-memory pages; the calling thread
  ///   must not hold one of its sessions' protection while it waits on the device.
  func scan<Format: LogRecordFormat>(
    from: Address, until: Address, format: Format.Type,
    _ body: (_ address: Address, _ record: UnsafeRawPointer, _ size: Int) -> Bool
  ) throws(DeviceError) {
    let pageSize = UInt64(buffer.pageSizeBytes)
    let end = Swift.min(until.rawValue, tailAddress.rawValue)
    var start = Swift.max(from.rawValue, beginAddress.rawValue)
    guard start < end else { return }
    // Below the head (it only rises, so this part stays on the device): large sequential
    // reads with read-ahead instead of a synchronous read per page.
    let head = buffer.headWord.load(.sequentiallyConsistent)
    if let device, start < Swift.min(end, head) {
      let deviceEnd = Swift.min(end, head)
      let reader = SequentialLogReader(device: device, pageSize: pageSize, from: start, until: deviceEnd)
      defer { reader.finish() }
      while let chunk = try reader.next() {
        var pageStart = chunk.range.lowerBound
        while pageStart < chunk.range.upperBound {
          let pageEnd = Swift.min((pageStart & ~(pageSize - 1)) + pageSize, chunk.range.upperBound)
          let bytes = chunk.bytes + Int(pageStart - chunk.range.lowerBound)
          guard try walkPage(bytes, from: pageStart, until: pageEnd, rangeEnd: end, format: format, body)
          else {
            return
          }
          pageStart = pageEnd
        }
      }
      start = deviceEnd
    }
    let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.pageSizeBytes, alignment: 4096)
    defer { copy.deallocate() }
    while start < end {
      let pageStart = start & ~(pageSize - 1)
      let pageEnd = Swift.min(pageStart + pageSize, end)
      try copyPage(start..<pageEnd, into: copy)
      guard
        try walkPage(
          UnsafeRawPointer(copy.baseAddress!), from: start, until: pageEnd, rangeEnd: end, format: format,
          body)
      else { return }
      start = pageStart + pageSize
    }
  }

  /// Hands out the records of `[start, pageEnd)` (within one page; its bytes at `bytes`);
  /// false if `body` asked to stop.
  private func walkPage<Format: LogRecordFormat>(
    _ bytes: UnsafeRawPointer, from start: UInt64, until pageEnd: UInt64, rangeEnd end: UInt64,
    format: Format.Type, _ body: (_ address: Address, _ record: UnsafeRawPointer, _ size: Int) -> Bool
  ) throws(DeviceError) -> Bool {
    let byteCount = Int(pageEnd - start)
    var offset = 0
    while offset + 8 <= byteCount {
      let record = bytes + offset
      if record.load(as: UInt64.self) == 0 { break }  // the unused end of the page
      let address = start + UInt64(offset)
      let size: Int
      switch Format.storedRecordSize(at: record, available: byteCount - offset) {
      case .size(let claimed) where claimed >= 8 && claimed & 7 == 0 && claimed <= byteCount - offset:
        size = claimed
      case .needsBytes(let needed) where pageEnd == end && needed > byteCount - offset:
        // Cut off by the end of the range (a record still being written at the tail).
        return true
      case .size(let claimed):
        throw corruptRecord(
          at: address, "it claims \(claimed) bytes, \(byteCount - offset) remain in the range")
      case .needsBytes(let needed):
        throw corruptRecord(at: address, "its sizes need \(needed) bytes, past its page's end")
      case .corrupt(let reason):
        throw corruptRecord(at: address, reason)
      }
      guard body(Address(address), record, size) else { return false }
      offset += size
    }
    return true
  }

  /// Copies the log bytes of `range` (within one page) into `copy`.
  func copyPage(_ range: Range<UInt64>, into copy: UnsafeMutableRawBufferPointer) throws(DeviceError) {
    let slot: Int
    do { slot = try epoch.acquireSlot() } catch {
      throw DeviceError(.invalidArgument, message: "log scan: no epoch slot free (\(error))")
    }
    epoch.protect(slot)
    // Head is read after protecting: a head shift past this page that we do not see
    // bumps the epoch after our protection, so its eviction waits for us.
    let inMemory = range.lowerBound >= buffer.headWord.load(.sequentiallyConsistent)
    if inMemory {
      // Safety: [head, tail) is in the buffer and stays there while this slot is protected.
      atomicLoadBytes(
        from: buffer.pointer(Address(range.lowerBound)), to: copy.baseAddress!, byteCount: range.count)
    }
    epoch.releaseSlot(slot)
    if !inMemory { try readFromDevice(range, into: copy) }
  }

  /// Reads `range` (within one page, below the head) from the device, waiting for it.
  private func readFromDevice(_ range: Range<UInt64>, into copy: UnsafeMutableRawBufferPointer)
    throws(DeviceError)
  {
    guard let device else {
      throw DeviceError(
        .invalidArgument, message: "log scan: range \(range) is below the head with no device")
    }
    let alignment = UInt64(device.alignment)
    let alignedStart = range.lowerBound & ~(alignment - 1)
    let alignedEnd = (range.upperBound + alignment - 1) & ~(alignment - 1)
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(
      byteCount: Int(alignedEnd - alignedStart), alignment: Int(alignment))
    defer { readBuffer.deallocate() }
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var outcome: Result<Int, DeviceError> = .success(0)
    device.read(into: readBuffer, at: alignedStart) { result in
      outcome = result
      done.signal()
    }
    done.wait()
    let transferred = try outcome.get()
    let skip = Int(range.lowerBound - alignedStart)
    guard transferred >= skip + range.count else {
      throw DeviceError(
        .shortTransfer,
        message:
          "log scan: the device returned \(transferred) bytes at log offset \(alignedStart), \(skip + range.count) expected; the log file is shorter than the log says"
      )
    }
    copy.baseAddress!.copyMemory(from: readBuffer.baseAddress! + skip, byteCount: range.count)
  }
}
