/// The operation algorithms of `FasterKV`, shared by every layout: hash-chain tracing,
/// in-place updates in the mutable region, copy-to-tail (RCU) below it, and the CAS that
/// publishes a new record in the index.
///
/// A plain struct of pointers into the store's memory (and unretained references for the
/// rare slow paths: opening a log page, draining epoch actions), copied into each
/// session, so the hot path takes no retain/release and no exclusivity check. The store,
/// which owns everything, is kept alive by the session's strong reference.
///
/// Every operation runs under the caller's epoch protection and returns a status; none
/// throws or allocates (beyond log space and, rarely, an overflow bucket page).
@frozen
@usableFromInline
struct StoreCore<Layout: RecordLayout> {
  @usableFromInline let index: HashTable
  @usableFromInline let log: LogBuffer
  @usableFromInline let epoch: EpochTable
  @usableFromInline let logOwner: Unmanaged<HybridLog>
  @usableFromInline let epochOwner: Unmanaged<LightEpoch>

  init(index: HashIndex, log: HybridLog, epoch: LightEpoch) {
    self.index = index.table
    self.log = log.buffer
    self.epoch = epoch.table
    logOwner = Unmanaged.passUnretained(log)
    epochOwner = Unmanaged.passUnretained(epoch)
  }

  /// Moves `slot` to the current epoch, running ready epoch actions.
  @inlinable
  func refresh(_ slot: Int) {
    if epoch.protect(slot) { epochOwner._withUnsafeGuaranteedRef { $0.drainIfPending() } }
  }

  /// Reserves `size` bytes at the tail; nil when no page can be opened (out of memory).
  @inlinable
  func allocate(_ size: Int) -> Address? {
    while true {
      switch log.tryAllocate(size) {
      case .allocated(let address): return address
      case .pageFull(let page):
        guard logOwner._withUnsafeGuaranteedRef({ $0.openPage(after: page) }) else { return nil }
      }
    }
  }

  /// Where a key's newest record is, as seen by one trace of its chain.
  @frozen
  @usableFromInline
  struct Trace {
    @usableFromInline var address: Address
    @usableFromInline var record: UnsafeMutableRawPointer?
    @usableFromInline var info: RecordInfo

    @inlinable init(address: Address, record: UnsafeMutableRawPointer?, info: RecordInfo) {
      self.address = address
      self.record = record
      self.info = info
    }
  }

  /// Follows the chain from `address` down to `minimum`; stops at the first record with
  /// `key` (record non-nil) or at the first address below `minimum` (record nil).
  @inlinable
  func trace(_ key: Layout.Key, from start: Address, minimum: Address) -> Trace {
    var address = start
    while address >= minimum {
      let record = log.pointer(address)
      let info = RecordInfo(rawValue: AtomicWord(record).load(.acquiring))
      if Layout.keyMatches(key, record: record) {
        return Trace(address: address, record: record, info: info)
      }
      address = info.previousAddress
    }
    return Trace(address: address, record: nil, info: RecordInfo(rawValue: 0))
  }

  // MARK: Read

  @inlinable
  func read<Operation: ReadOperation>(_ key: Layout.Key, _ operation: inout Operation) -> OperationStatus {
    let hash = Layout.hash(key)
    guard let slot = index.findEntry(hash) else { return .notFound }
    let found = trace(key, from: slot.entry.address, minimum: log.headAddress)
    guard let record = found.record else {
      // Below head: on the device (the disk tier); below begin: truncated or never written.
      return found.address >= log.beginAddress ? .pending : .notFound
    }
    if found.info.isTombstone { return .notFound }
    return operation.read(record: record)
  }

  // MARK: Upsert

  @inlinable
  func upsert<Operation: UpsertOperation>(
    _ key: Layout.Key, _ operation: Operation, version: UInt64
  ) -> OperationStatus {
    let hash = Layout.hash(key)
    while true {
      guard var slot = index.findOrCreateEntry(hash) else { return .outOfMemory }
      let found = trace(key, from: slot.entry.address, minimum: log.readOnlyAddress)
      if let record = found.record, !found.info.isTombstone {
        switch operation.updateInPlace(record: record) {
        case .updated: return .ok
        case .sealed: continue
        case .tombstoned, .noRoom: break
        }
      }
      // Not in the mutable region (or no room there): append. Upserts are blind, so a
      // read-only or on-disk older record needs no copy.
      let size = operation.newRecordSize
      guard size <= log.pageSizeBytes else { return .recordTooLarge }
      guard let address = allocate(size) else { return .outOfMemory }
      let record = log.pointer(address)
      operation.initialize(record: record)
      if publish(record, at: address, slot: &slot, version: version, tombstone: false) { return .ok }
    }
  }

  /// Writes the new record's header and swings the index entry to it. On a lost race the
  /// record is marked invalid (it stays in the log as garbage) and false is returned.
  @inlinable
  func publish(
    _ record: UnsafeMutableRawPointer, at address: Address, slot: inout HashTable.EntrySlot,
    version: UInt64, tombstone: Bool
  ) -> Bool {
    let info = RecordInfo(previousAddress: slot.entry.address, version: version, tombstone: tombstone)
    AtomicWord(record).store(info.rawValue, .releasing)
    if slot.compareExchange(to: address) { return true }
    AtomicWord(record).store(info.rawValue | RecordInfo.invalidBit, .releasing)
    return false
  }

  // MARK: Read-modify-write

  @inlinable
  func readModifyWrite<Operation: ReadModifyWriteOperation>(
    _ key: Layout.Key, _ operation: inout Operation, version: UInt64, epochSlot: Int
  ) -> OperationStatus {
    let hash = Layout.hash(key)
    while true {
      guard var slot = index.findOrCreateEntry(hash) else { return .outOfMemory }
      let head = log.headAddress
      let found = trace(key, from: slot.entry.address, minimum: head)
      var copySource: UnsafeMutableRawPointer? = nil
      var sourceIsMutable = false
      if let record = found.record, !found.info.isTombstone {
        if found.address >= log.readOnlyAddress {
          switch operation.updateInPlace(record: record) {
          case .updated: return .ok
          case .sealed: continue
          case .tombstoned: break
          case .noRoom:
            copySource = record
            sourceIsMutable = true
          }
        } else if found.address >= log.safeReadOnlyAddress {
          // The fuzzy region: a thread that has not seen the read-only shift may still
          // update this record in place, so copying it now could lose that update.
          // Refresh (which lets the shift complete) and try again.
          refresh(epochSlot)
          continue
        } else {
          copySource = record
        }
      } else if found.record == nil && found.address >= log.beginAddress && found.address < head {
        return .pending  // the old value is on the device (the disk tier)
      }

      if let source = copySource {
        guard let token = operation.beginCopy(from: source) else { continue }  // sealed
        if sourceIsMutable && operation.isTombstone(old: source) {
          operation.endCopy(from: source, token: token, published: false)
          continue  // deleted meanwhile: start again (the key is now absent)
        }
        let size = operation.copyRecordSize(from: source)
        guard size <= log.pageSizeBytes else {
          operation.endCopy(from: source, token: token, published: false)
          return .recordTooLarge
        }
        guard let address = allocate(size) else {
          operation.endCopy(from: source, token: token, published: false)
          return .outOfMemory
        }
        let record = log.pointer(address)
        operation.copyUpdate(from: source, to: record)
        let published = publish(record, at: address, slot: &slot, version: version, tombstone: false)
        operation.endCopy(from: source, token: token, published: published && sourceIsMutable)
        if published { return .ok }
      } else {
        let size = operation.initialRecordSize
        guard size <= log.pageSizeBytes else { return .recordTooLarge }
        guard let address = allocate(size) else { return .outOfMemory }
        let record = log.pointer(address)
        operation.initializeInitial(record: record)
        if publish(record, at: address, slot: &slot, version: version, tombstone: false) { return .ok }
      }
    }
  }

  // MARK: Delete

  @inlinable
  func delete(_ key: Layout.Key, version: UInt64) -> OperationStatus {
    let hash = Layout.hash(key)
    while true {
      guard var slot = index.findEntry(hash) else { return .notFound }
      let found = trace(key, from: slot.entry.address, minimum: log.readOnlyAddress)
      if let record = found.record {
        if found.info.isTombstone { return .ok }
        switch Layout.markTombstone(record: record) {
        case .updated: return .ok
        case .sealed: continue
        case .tombstoned, .noRoom: break
        }
      }
      let size = Layout.tombstoneSize(key)
      guard size <= log.pageSizeBytes else { return .recordTooLarge }
      guard let address = allocate(size) else { return .outOfMemory }
      let record = log.pointer(address)
      Layout.initializeTombstone(key, record: record)
      if publish(record, at: address, slot: &slot, version: version, tombstone: true) { return .ok }
    }
  }
}
