import FasterPlatform
import FasterStorage

/// Compaction: copy the live records of the oldest part of the log to the tail, then
/// move the log's begin past that part and delete its segment files.
///
/// The copy is conditional (FASTER's ConditionalCopyToTail): a record is copied only if
/// it is still its key's newest, and the copy is published with a CAS from the index
/// entry seen when that was checked. A session that updates or deletes the key in
/// between changes the entry first, the CAS fails, and the check runs again (finding
/// the session's newer record, so the old copy is dropped). Tombstones are not copied:
/// every older record of their key is in the range too, so the key stays deleted.
extension FasterKV {
  /// Compacts the log below `until` (rounded down to a page, and at most what is
  /// already evicted to the device: call `shiftHeadAddress` first to include more),
  /// while sessions keep running. Returns what it did; a range already below the begin
  /// returns a report that moved nothing.
  ///
  /// - Throws: `ScanError.invalidArgument` without a device (a memory-only log never
  ///   evicts, so nothing can be reclaimed), `.device` when the range cannot be read or
  ///   its segments cannot be deleted, `.operationFailed` when the tail cannot take the
  ///   copies (out of memory, device error). On an error the begin has not moved; the
  ///   copies made so far are harmless (newer versions of their keys).
  /// - Note: the calling thread must not hold one of its sessions' protection (end or
  ///   `suspend()` it first): compaction waits for every session to refresh.
  @discardableResult
  public func compact(until: Address, method: CompactionMethod = .scan) throws(ScanError)
    -> CompactionReport
  {
    try compact(until: until, method: method, automatic: false)
  }

  func compact(until: Address, method: CompactionMethod, automatic: Bool) throws(ScanError)
    -> CompactionReport
  {
    guard let device = log.device else {
      throw .invalidArgument(
        "compaction needs a device: a memory-only log never evicts, so nothing can be reclaimed")
    }
    StoreEvents.compactionStarted(self, until: until, method: method, automatic: automatic)
    let span = StoreTracing.start("faster.compaction")
    defer { span.end() }
    let outcome = compactionLock.withLock { _ in
      Result { () throws(ScanError) in try compactLocked(until: until, method: method, device: device) }
    }
    let report: CompactionReport
    switch outcome {
    case .success(let done): report = done
    case .failure(let error):
      compactionTotals.withLock { $0.lastError = error.description }
      logger.error("faster: compaction failed: \(error)", metadata: ["compaction.automatic": "\(automatic)"])
      span.fail(error)
      throw error
    }
    StoreEvents.compactionDone(self, report, automatic: automatic)
    span.attribute("faster.compaction.bytes_reclaimed", Int(report.bytesReclaimed))
    compactionTotals.withLock {
      if report.bytesReclaimed > 0 { $0.add(report, automatic: automatic) }
    }
    return report
  }

  private func compactLocked(until: Address, method: CompactionMethod, device: any StorageDevice)
    throws(ScanError)
    -> CompactionReport
  {
    let started = monotonicNanoseconds()
    let pageMask = UInt64(options.pageSizeBytes) - 1
    let before = log.beginAddress
    // Only evicted pages: `closedUntil <= head`, so the new begin keeps the marker order.
    let target = Address(Swift.min(until.rawValue, log.buffer.closedUntilAddress.rawValue) & ~pageMask)
    var report = CompactionReport(beginBefore: before, beginAfter: before)
    guard target > before else { return report }

    let reader = try DeviceReader(store: self)
    defer { reader.finish() }
    let copier = CompactionCopier(store: self, reader: reader)
    switch method {
    case .lookup:
      try scanRange(from: before, until: target) { address, record, size throws(ScanError) in
        try copier.copyIfNewest(record, size: size, at: address, report: &report)
      }
    case .scan:
      // Pass 1: each key's newest record in the range (tombstones included, so an older
      // live version behind a deletion is not taken for the newest).
      let liveSet = CompactionLiveSet()
      try scanRange(from: before, until: target) { address, record, _ throws(ScanError) in
        report.recordsScanned += 1
        liveSet.recordNewest(
          key: Layout.keyBytes(ofRecord: record), hash: Layout.keyHash(ofRecord: record).rawValue,
          address: address)
      }
      // Pass 2: drop the keys that have a record in the stable log above the range, read
      // sequentially (records below safe read-only are all published and never change).
      let stableEnd = log.safeReadOnlyAddress
      try scanRange(from: target, until: stableEnd) { _, record, _ throws(ScanError) in
        liveSet.markSuperseded(
          key: Layout.keyBytes(ofRecord: record), hash: Layout.keyHash(ofRecord: record).rawValue)
      }
      // Pass 3: the rest are live unless a session wrote them since: the chain is walked
      // only down to `stableEnd` (in memory, usually), and the copy is conditional.
      let candidates = UInt64(liveSet.candidateCount)
      report.recordsSuperseded = report.recordsScanned - candidates
      try scanRange(from: before, until: target) { address, record, size throws(ScanError) in
        guard
          liveSet.isCandidate(
            key: Layout.keyBytes(ofRecord: record), hash: Layout.keyHash(ofRecord: record).rawValue,
            address: address)
        else { return }
        try copier.copyIfNewest(record, size: size, at: address, above: stableEnd, report: &report)
      }
      report.recordsScanned -= candidates  // counted again by copyIfNewest
    }
    // The copies are published; now the range can go. Readers that may still follow
    // chains into it finish first, then its files are deleted.
    reader.leaveReaders()
    _ = log.buffer.beginWord.raise(to: target.rawValue)
    deviceReaders.retireOlderReaders(newBegin: target, epoch: epoch)
    // With checkpoints on, a retained checkpoint may still read the range on recovery (its
    // begin or its index replay start is below `target`): the files are deleted when
    // checkpoint retention retires the last one that needs them (`releaseLogSegments`).
    if options.checkpointDirectory == nil {
      do { try device.truncate(before: target.rawValue) } catch { throw .device(error) }
    }
    report.beginAfter = target
    report.seconds = Double(monotonicNanoseconds() - started) / 1e9
    return report
  }

  /// Calls `body` with each published record of `[from, until)` (private copies, the
  /// value lock state cleared), stopping at its first error.
  private func scanRange(
    from: Address, until: Address,
    _ body: (_ address: Address, _ record: UnsafeMutableRawPointer, _ size: Int) throws(ScanError) -> Void
  ) throws(ScanError) {
    var failure: ScanError?
    do throws(DeviceError) {
      try log.scan(from: from, until: until, format: Layout.self) { address, record, size in
        // Safety: the scan's page copy is private to this thread.
        let copy = UnsafeMutableRawPointer(mutating: record)
        let info = RecordInfo(rawValue: copy.load(as: UInt64.self))
        if info.isInvalid { return true }
        if let problem = Layout.validateDeviceRecord(copy, size: size) {
          failure = .device(log.corruptRecord(at: address.rawValue, problem))
          return false
        }
        do throws(ScanError) { try body(address, copy, size) } catch {
          failure = error
          return false
        }
        return true
      }
    } catch {
      throw .device(error)
    }
    if let failure { throw failure }
  }

  /// Bytes of the log on the device now (from the begin to what is flushed): what
  /// compaction bounds. Cheap (two marker loads).
  public var deviceLogBytes: UInt64 {
    let begin = log.beginAddress.rawValue
    return log.flushedUntilAddress.rawValue - Swift.min(begin, log.flushedUntilAddress.rawValue)
  }

  /// Compaction totals and the automatic policy's state, for statistics.
  public var compactionStatistics: CompactionStatistics { compactionTotals.withLock { $0 } }
}

/// The conditional copy-to-tail of one record, for one compaction run.
struct CompactionCopier<Layout: RecordLayout> {
  let store: FasterKV<Layout>
  let reader: DeviceReader<Layout>

  /// Copies the record (a private copy of the one at `address`) to the tail if it is
  /// still its key's newest and not a tombstone.
  ///
  /// With `above`, the caller knows that the key has no record in `(address, above)`
  /// (the scan method's pass 2): the chain is walked only down to `above`, and no record
  /// found there means this one is the newest.
  func copyIfNewest(
    _ record: UnsafeMutableRawPointer, size: Int, at address: Address, above: Address? = nil,
    report: inout CompactionReport
  ) throws(ScanError) {
    report.recordsScanned += 1
    let info = RecordInfo(rawValue: record.load(as: UInt64.self))
    if info.isTombstone {
      report.tombstonesDropped += 1
      return
    }
    while true {
      let minimum = above ?? address
      let lookup = try Layout.withRecordKey(record) { key in
        Result { () throws(ScanError) in try reader.newestRecord(of: key, atOrAbove: minimum) }
      }.get()
      let isNewest = above == nil ? lookup.newest == address : lookup.newest == nil
      guard isNewest else {
        report.recordsSuperseded += 1
        return
      }
      if let hook = store.compactionRaceHook.withLock({ $0 }) { hook(Layout.keyBytes(ofRecord: record)) }
      switch try publishCopy(record, size: size, version: info.version, expectedEntry: lookup.entryAddress) {
      case true:
        report.recordsCopied += 1
        report.bytesCopied += UInt64(size)
        return
      case false:
        report.copyRaces += 1  // the chain changed: check again
      }
    }
  }

  /// Appends the copy with the chain's old head as its predecessor and swings the entry
  /// to it, if the entry still points at `expectedEntry`. False if it moved (the copy is
  /// left in the log marked invalid).
  private func publishCopy(
    _ source: UnsafeMutableRawPointer, size: Int, version: UInt64, expectedEntry: Address
  ) throws(ScanError) -> Bool {
    let core = store.core
    let epoch = store.epoch
    epoch.protect(reader.slot)
    defer { epoch.unprotect(reader.slot) }
    let allocation = core.allocate(size, epochSlot: reader.slot)
    guard case .allocated(let address, _) = allocation else {
      throw .operationFailed(
        "compaction could not append a copy at the tail: \(allocation.failureStatus)")
    }
    let destination = core.log.pointer(address)
    // Payload first; the header last (release), as `publish` does.
    (destination + 8).copyMemory(from: source + 8, byteCount: size - 8)
    let hash = Layout.withRecordKey(UnsafeRawPointer(source)) { Layout.hash($0) }
    var slot = core.index.findEntry(hash)
    // The copy links to the main-log chain (a cached copy at the front leaves the chain
    // with the CAS). Read after the allocation, which may refresh: the entry still
    // holding `expectedEntry` now means a cached record it names is intact.
    let previous =
      slot?.entry.address == expectedEntry ? core.skipReadCache(expectedEntry) : Address.invalid
    let header = RecordInfo(previousAddress: previous, version: version)
    AtomicWord(destination).store(header.rawValue, .releasing)
    if slot?.entry.address == expectedEntry, slot!.compareExchange(to: address) {
      return true
    }
    AtomicWord(destination).store(header.rawValue | RecordInfo.invalidBit, .releasing)
    return false
  }
}
