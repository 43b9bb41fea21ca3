import FasterStorage

/// The public log scan: every record of a log range, in address order, in memory and on
/// the device, optionally only the live ones.
extension FasterKV {
  /// Calls `body` with each record in `[from, until)` (default: the whole log, from the
  /// begin to the tail), in address order, until it returns false. Records allocated but
  /// never published (lost races) are skipped. With `liveOnly`, only the newest record
  /// of each key, and no tombstone, is handed out (each record is checked against its
  /// hash chain, which may read the device).
  ///
  /// Pages are copied into private memory first (read from the device, sequentially, a
  /// page at a time, below the head), so `body` never sees the live buffer. Safe while
  /// sessions run: records in the mutable region are seen as they were when their page
  /// was copied; a compaction waits for a running scan before it deletes segment files.
  ///
  /// `from` must be a record boundary: the begin (default), a record's address, or a page
  /// start.
  ///
  /// - Throws: `ScanError.device` when a page cannot be read or a record is corrupt;
  ///   `.invalidArgument` for an unaligned `from`; `.tooManySessions` when no epoch entry
  ///   is free for the scanning thread.
  /// - Note: the calling thread must not hold one of its sessions' protection (end or
  ///   `suspend()` it first): the scan waits on the device.
  public func scan(
    from: Address? = nil, until: Address? = nil, liveOnly: Bool = false,
    _ body: (ScannedRecord<Layout>) -> Bool
  ) throws(ScanError) {
    let start = from ?? log.beginAddress
    guard start.rawValue & 7 == 0 else {
      throw .invalidArgument(
        "from = \(start.rawValue): not 8-byte aligned (use a record's address or a page start)")
    }
    let reader = try DeviceReader(store: self)
    defer { reader.finish() }
    var failure: ScanError?
    do throws(DeviceError) {
      try log.scan(
        from: Swift.max(start, reader.begin), until: until ?? log.tailAddress, format: Layout.self
      ) { address, record, size in
        let info = RecordInfo(rawValue: record.load(as: UInt64.self))
        if info.isInvalid { return true }
        if liveOnly {
          if info.isTombstone { return true }
          do throws(ScanError) {
            guard try reader.isNewest(record, at: address) else { return true }
          } catch {
            failure = error
            return false
          }
        }
        return body(ScannedRecord(address: address, info: info, record: record, size: size))
      }
    } catch {
      throw .device(error)
    }
    if let failure { throw failure }
  }
}

/// A control-plane thread's view of the store while it reads the log: an epoch slot
/// of its own (protected only in short spans), and a place among the device readers so
/// that compaction keeps every segment at or above `begin` until `finish()`.
///
/// Not thread-safe: one thread, one scan or compaction.
final class DeviceReader<Layout: RecordLayout> {
  let store: FasterKV<Layout>
  let slot: Int
  let begin: Address
  private var ticket: UInt64?
  private var slotReleased = false

  init(store: FasterKV<Layout>) throws(ScanError) {
    self.store = store
    do { slot = try store.epoch.acquireSlot() } catch {
      throw .tooManySessions(store.options.maxSessions)
    }
    store.epoch.protect(slot)
    let ticket = store.deviceReaders.enter()
    self.ticket = ticket
    begin = Swift.max(store.deviceReaders.begin(forTicket: ticket), store.log.beginAddress)
    store.epoch.unprotect(slot)
  }

  deinit { finish() }

  /// Leaves the device readers and releases the epoch slot. Idempotent.
  func finish() {
    leaveReaders()
    guard !slotReleased else { return }
    slotReleased = true
    store.epoch.releaseSlot(slot)
  }

  /// Leaves the device readers (a compaction must, before it waits for the others),
  /// keeping the epoch slot.
  func leaveReaders() {
    if let ticket {
      self.ticket = nil
      store.deviceReaders.leave(ticket)
    }
  }

  /// What a walk of a key's hash chain found.
  struct ChainLookup {
    /// The index entry's address when the walk started (`.invalid`: no entry).
    var entryAddress: Address
    /// The newest record of the key at or above the walk's minimum, if any.
    var newest: Address?
    var newestIsTombstone: Bool
  }

  /// True if the record (a private copy) at `address` is the newest of its key.
  func isNewest(_ record: UnsafeRawPointer, at address: Address) throws(ScanError) -> Bool {
    let lookup = try Layout.withRecordKey(record) { key in
      Result { () throws(ScanError) in try newestRecord(of: key, atOrAbove: address) }
    }.get()
    return lookup.newest == address
  }

  /// Walks the key's chain from the index entry down to `minimum`: in memory under
  /// protection, below the head by reading the device (out of protection).
  func newestRecord(of key: Layout.Key, atOrAbove minimum: Address) throws(ScanError) -> ChainLookup {
    let epoch = store.epoch
    let log = store.log
    epoch.protect(slot)
    guard let entry = store.core.index.findEntry(Layout.hash(key)) else {
      epoch.unprotect(slot)
      return ChainLookup(entryAddress: .invalid, newest: nil, newestIsTombstone: false)
    }
    var lookup = ChainLookup(entryAddress: entry.entry.address, newest: nil, newestIsTombstone: false)
    // A cached copy at the front is not a log record: the main-log chain holds the newest.
    var address = store.core.skipReadCache(entry.entry.address)
    let head = log.headAddress
    while address >= minimum && address >= head {
      let record = log.pointer(address)
      let info = RecordInfo(rawValue: AtomicWord(record).load(.acquiring))
      if Layout.keyMatches(key, record: record) {
        epoch.unprotect(slot)
        lookup.newest = address
        lookup.newestIsTombstone = info.isTombstone
        return lookup
      }
      address = info.previousAddress
    }
    epoch.unprotect(slot)
    // Below the head: records there never change, and stay on the device while this
    // reader is registered (down to `begin`).
    while address >= minimum && address >= begin {
      let deviceRecord: DeviceRecord
      do { deviceRecord = try log.readRecordWaiting(at: address, format: Layout.self) } catch {
        throw .device(error)
      }
      defer { deviceRecord.deallocate() }
      let record = deviceRecord.record
      if let problem = Layout.validateDeviceRecord(record, size: deviceRecord.size) {
        throw .device(log.corruptRecord(at: address.rawValue, problem))
      }
      let info = RecordInfo(rawValue: record.load(as: UInt64.self))
      if !info.isInvalid && Layout.keyMatches(key, record: record) {
        lookup.newest = address
        lookup.newestIsTombstone = info.isTombstone
        return lookup
      }
      guard info.previousAddress < address else {
        throw .device(
          log.corruptRecord(
            at: address.rawValue, "its chain points forward, to \(info.previousAddress.rawValue)"))
      }
      address = info.previousAddress
    }
    return lookup
  }
}
