import CFasterShims

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
  /// The system state word (CPR phase and version, `SystemState`).
  @usableFromInline let stateWord: AtomicWord
  /// The read cache's log, when it is enabled (`StoreCore+ReadCache.swift`).
  @usableFromInline let readCache: LogBuffer?
  @usableFromInline let readCacheOwner: Unmanaged<ReadCache<Layout>>?

  init(
    index: HashIndex, log: HybridLog, epoch: LightEpoch, stateWord: AtomicWord, readCache: ReadCache<Layout>?
  ) {
    self.index = index.table
    self.log = log.buffer
    self.epoch = epoch.table
    logOwner = Unmanaged.passUnretained(log)
    epochOwner = Unmanaged.passUnretained(epoch)
    self.stateWord = stateWord
    self.readCache = readCache?.buffer
    readCacheOwner = readCache.map { Unmanaged.passUnretained($0) }
  }

  /// Moves `slot` to the current epoch, running ready epoch actions.
  @inlinable
  func refresh(_ slot: Int) {
    if epoch.protect(slot) { epochOwner._withUnsafeGuaranteedRef { $0.drainIfPending() } }
  }

  /// Reserves `size` bytes at the tail, waiting (refreshing `epochSlot`) while a frame is
  /// being freed. Fails with `.outOfMemory`, `.deviceError` or `.outOfAddressSpace`.
  ///
  /// `refreshed` says the wait refreshed the epoch: pointers into the log taken before the
  /// call may then point at evicted frames, so a caller that still needs them must give
  /// the space up (`abandon`) and start over.
  @inlinable
  func allocate(_ size: Int, epochSlot: Int) -> AllocationResult {
    var refreshed = false
    while true {
      switch log.tryAllocate(size) {
      case .allocated(let address): return .allocated(address, refreshed: refreshed)
      case .pageFull(let page):
        switch logOwner._withUnsafeGuaranteedRef({ $0.openPage(after: page) }) {
        case .opened: continue
        case .outOfMemory: return .failed(.outOfMemory)
        case .deviceError: return .failed(.deviceError)
        case .outOfAddressSpace: return .failed(.outOfAddressSpace)
        case .retry:
          // Let the flush or eviction epoch actions run (they wait for this thread too).
          refresh(epochSlot)
          refreshed = true
          cfaster_spin_pause()
        }
      }
    }
  }

  @frozen
  @usableFromInline
  enum AllocationResult {
    case allocated(Address, refreshed: Bool)
    case failed(OperationStatus)

    /// The status an operation returns when allocation failed.
    @inlinable
    var failureStatus: OperationStatus {
      if case .failed(let status) = self { return status }
      return .ok
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

  /// Follows the main-log chain from `address` (never a read-cache address: see
  /// `skipReadCache`) down to `minimum`; stops at the first record with `key` (record
  /// non-nil) or at the first address below `minimum` (record nil). Always inlined: with
  /// four callers the optimizer outlines it, and the call (with the `Trace` returned through
  /// memory) cost about 25 instructions per operation (cachegrind).
  @inlinable
  @inline(__always)
  func trace(_ key: Layout.Key, from start: Address, minimum: Address) -> Trace {
    var address = start
    while address >= minimum {
      let record = log.pointer(address)
      let info = RecordInfo(rawValue: AtomicWord(record).load(.acquiring))
      // An invalid record (a version after a recovered checkpoint) is skipped.
      if Layout.keyMatches(key, record: record) && !info.isInvalid {
        return Trace(address: address, record: record, info: info)
      }
      address = info.previousAddress
    }
    return Trace(address: address, record: nil, info: RecordInfo(rawValue: 0))
  }

  // MARK: Read

  /// Reads `key`. On `.pending`, `pending` says which device address to read next.
  @inlinable
  func read<Operation: ReadOperation>(
    _ key: Layout.Key, _ operation: inout Operation, pending: inout PendingRequest
  ) -> OperationStatus {
    let hash = Layout.hash(key)
    guard let slot = index.findEntry(hash) else { return .notFound }
    var start = slot.entry.address
    if start.isReadCache {
      if let status = readFromCache(key, hash: hash, slot: slot, &operation, start: &start) { return status }
    }
    let found = trace(key, from: start, minimum: log.headAddress)
    guard let record = found.record else {
      // Below head: on the device; below begin: truncated or never written.
      guard found.address >= log.beginAddress else { return .notFound }
      pending = PendingRequest(address: found.address, entryAddress: slot.entry.address)
      return .pending
    }
    if found.info.isTombstone { return .notFound }
    return operation.read(record: record)
  }

  // MARK: Upsert

  @inlinable
  func upsert<Operation: UpsertOperation>(
    _ key: Layout.Key, _ operation: Operation, context: OperationContext
  ) -> OperationStatus {
    let hash = Layout.hash(key)
    while true {
      guard var slot = index.findOrCreateEntry(hash) else { return .outOfMemory }
      let found = trace(key, from: skipReadCache(slot.entry.address), minimum: log.readOnlyAddress)
      if let record = found.record, !found.info.isTombstone,
        isOrdinaryVersion(found.info.version, context: context)
          || cprAllowsInPlace(found.info, context: context)
      {
        switch operation.updateInPlace(record: record) {
        case .updated:
          log.markDirty(found.address)  // for incremental snapshots
          return .ok
        case .sealed: continue
        case .tombstoned, .noRoom: break
        }
      }
      // Not in the mutable region (or no room there): append. Upserts are blind, so a
      // read-only or on-disk older record needs no copy.
      let size = operation.newRecordSize
      guard size <= log.pageSizeBytes else { return .recordTooLarge }
      let allocation = allocate(size, epochSlot: context.epochSlot)
      guard case .allocated(let address, _) = allocation else { return allocation.failureStatus }
      let record = log.pointer(address)
      operation.initialize(record: record)
      if publish(record, at: address, slot: &slot, version: context.version, tombstone: false) { return .ok }
    }
  }

  /// Writes the new record's header and swings the index entry to it. On a lost race the
  /// record is marked invalid (it stays in the log as garbage) and false is returned.
  @inlinable
  func publish(
    _ record: UnsafeMutableRawPointer, at address: Address, slot: inout HashTable.EntrySlot,
    version: UInt64, tombstone: Bool
  ) -> Bool {
    // The new record goes in front of the main-log chain: a cached copy at the front
    // (`ReadCache`) leaves the chain with the same CAS that makes it stale.
    let info = RecordInfo(
      previousAddress: skipReadCache(slot.entry.address), version: version, tombstone: tombstone)
    AtomicWord(record).store(info.rawValue, .releasing)
    if slot.compareExchange(to: address) { return true }
    AtomicWord(record).store(info.rawValue | RecordInfo.invalidBit, .releasing)
    return false
  }

  /// Marks allocated space that will not hold a record (an abandoned copy) as an invalid
  /// record of its full size, so the log stays walkable.
  @inlinable
  func abandon(_ record: UnsafeMutableRawPointer, size: Int) {
    Layout.initializeFiller(record: record, size: size)
    AtomicWord(record).store(
      RecordInfo(previousAddress: .invalid, version: 0).rawValue | RecordInfo.invalidBit, .releasing)
  }

  // MARK: Read-modify-write

  /// Read-modify-write of `key`. On `.pending`, `pending` says which device address holds
  /// the newest record (and which entry address the chain had then).
  @inlinable
  func readModifyWrite<Operation: ReadModifyWriteOperation>(
    _ key: Layout.Key, _ operation: inout Operation, context: OperationContext, pending: inout PendingRequest
  ) -> OperationStatus {
    let hash = Layout.hash(key)
    while true {
      guard var slot = index.findOrCreateEntry(hash) else { return .outOfMemory }
      var start = slot.entry.address
      if start.isReadCache {
        switch readModifyWriteFromCache(key, &operation, slot: &slot, context: context, start: &start) {
        case .some(.some(let status)): return status
        case .some(.none): continue
        case .none: break
        }
      }
      let head = log.headAddress
      let found = trace(key, from: start, minimum: head)
      guard let record = found.record else {
        if found.address >= log.beginAddress {
          pending = PendingRequest(address: found.address, entryAddress: slot.entry.address)
          return .pending  // the old value is on the device
        }
        switch createInitial(key, &operation, slot: &slot, context: context) {
        case .some(let status): return status
        case .none: continue
        }
      }
      if !isOrdinaryVersion(found.info.version, context: context) {
        switch cprReadModifyWriteCase(found.info, context: context) {
        case .proceed: break
        case .retry: continue
        case .copyToTail:
          if found.info.isTombstone { break }
          switch copyUpdate(from: record, sourceIsPrivate: false, &operation, slot: &slot, context: context) {
          case .some(let status): return status
          case .none: continue
          }
        }
      }
      if found.info.isTombstone {
        switch createInitial(key, &operation, slot: &slot, context: context) {
        case .some(let status): return status
        case .none: continue
        }
      }
      if found.address >= log.readOnlyAddress {
        switch operation.updateInPlace(record: record, scratch: context.scratch) {
        case .updated:
          log.markDirty(found.address)  // for incremental snapshots
          return .ok
        case .sealed: continue
        case .tombstoned:
          switch createInitial(key, &operation, slot: &slot, context: context) {
          case .some(let status): return status
          case .none: continue
          }
        case .noRoom:
          switch copyFromMutable(record, &operation, slot: &slot, context: context) {
          case .some(let status): return status
          case .none: continue
          }
        }
      }
      if found.address >= log.safeReadOnlyAddress {
        // The fuzzy region: a thread that has not seen the read-only shift may still
        // update this record in place, so copying it now could lose that update.
        // Refresh (which lets the shift complete) and try again.
        refresh(context.epochSlot)
        continue
      }
      // Read-only in memory: stable (no thread writes below safe read-only).
      switch copyUpdate(from: record, sourceIsPrivate: false, &operation, slot: &slot, context: context) {
      case .some(let status): return status
      case .none: continue
      }
    }
  }

  /// Completes an RMW whose newest record was read from the device (`diskRecord`, or nil
  /// when the chain on the device had no record of the key). If the chain changed since
  /// the read was issued, the RMW starts over (and may go pending again).
  @inlinable
  func readModifyWriteAfterRead<Operation: ReadModifyWriteOperation>(
    _ key: Layout.Key, _ operation: inout Operation, diskRecord: UnsafeMutableRawPointer?,
    expectedEntryAddress: Address, context: OperationContext, pending: inout PendingRequest
  ) -> OperationStatus {
    let hash = Layout.hash(key)
    guard var slot = index.findOrCreateEntry(hash) else { return .outOfMemory }
    if slot.entry.address == expectedEntryAddress {
      let result: OperationStatus?
      if let diskRecord, !RecordInfo(rawValue: AtomicWord(diskRecord).load(.acquiring)).isTombstone {
        result = copyUpdate(
          from: diskRecord, sourceIsPrivate: true, &operation, slot: &slot, context: context)
      } else {
        result = createInitial(key, &operation, slot: &slot, context: context)
      }
      if let result { return result }
    }
    return readModifyWrite(key, &operation, context: context, pending: &pending)
  }

  /// Appends the initial value. Nil when the entry changed (start over).
  @inlinable
  func createInitial<Operation: ReadModifyWriteOperation>(
    _ key: Layout.Key, _ operation: inout Operation, slot: inout HashTable.EntrySlot,
    context: OperationContext
  ) -> OperationStatus? {
    let size = operation.initialRecordSize
    guard size <= log.pageSizeBytes else { return .recordTooLarge }
    let allocation = allocate(size, epochSlot: context.epochSlot)
    guard case .allocated(let address, _) = allocation else { return allocation.failureStatus }
    let record = log.pointer(address)
    operation.initializeInitial(record: record)
    return publish(record, at: address, slot: &slot, version: context.version, tombstone: false) ? .ok : nil
  }

  /// Appends the update of a stable record (read-only in memory, or read from the device).
  /// Nil when the entry changed (start over).
  @inlinable
  func copyUpdate<Operation: ReadModifyWriteOperation>(
    from source: UnsafeMutableRawPointer, sourceIsPrivate: Bool, _ operation: inout Operation,
    slot: inout HashTable.EntrySlot, context: OperationContext
  ) -> OperationStatus? {
    let size = operation.copyRecordSize(from: source)
    guard size <= log.pageSizeBytes else { return .recordTooLarge }
    let allocation = allocate(size, epochSlot: context.epochSlot)
    guard case .allocated(let address, let refreshed) = allocation else { return allocation.failureStatus }
    if refreshed && !sourceIsPrivate {
      // The source may have been evicted while this thread waited: start over.
      abandon(log.pointer(address), size: size)
      return nil
    }
    let record = log.pointer(address)
    operation.copyUpdate(from: source, to: record)
    return publish(record, at: address, slot: &slot, version: context.version, tombstone: false) ? .ok : nil
  }

  /// Appends the update of a mutable record that has no room for it in place: the space
  /// is allocated first (allocation may wait for epoch actions, so no record lock may be
  /// held), then the old record is locked, copied, and sealed once the copy is published.
  /// Nil to start over.
  @inlinable
  func copyFromMutable<Operation: ReadModifyWriteOperation>(
    _ source: UnsafeMutableRawPointer, _ operation: inout Operation, slot: inout HashTable.EntrySlot,
    context: OperationContext
  ) -> OperationStatus? {
    let size = operation.copyRecordSize(from: source)
    guard size <= log.pageSizeBytes else { return .recordTooLarge }
    let allocation = allocate(size, epochSlot: context.epochSlot)
    guard case .allocated(let address, let refreshed) = allocation else { return allocation.failureStatus }
    if refreshed {
      // The source may have been evicted while this thread waited: start over.
      abandon(log.pointer(address), size: size)
      return nil
    }
    let record = log.pointer(address)
    guard let token = operation.beginCopy(from: source) else {  // sealed: superseded
      abandon(record, size: size)
      return nil
    }
    if operation.isTombstone(old: source) || operation.copyRecordSize(from: source) != size {
      // Deleted or changed while the space was allocated: start over.
      operation.endCopy(from: source, token: token, published: false)
      abandon(record, size: size)
      return nil
    }
    operation.copyUpdate(from: source, to: record)
    let published = publish(record, at: address, slot: &slot, version: context.version, tombstone: false)
    operation.endCopy(from: source, token: token, published: published)
    // The source was sealed in place: its page changed (for incremental snapshots).
    if published { log.markDirty(Address(UInt64(UInt(bitPattern: source - log.base)))) }
    return published ? .ok : nil
  }

  // MARK: Delete

  @inlinable
  func delete(_ key: Layout.Key, context: OperationContext) -> OperationStatus {
    let hash = Layout.hash(key)
    while true {
      guard var slot = index.findEntry(hash) else { return .notFound }
      let found = trace(key, from: skipReadCache(slot.entry.address), minimum: log.readOnlyAddress)
      if let record = found.record,
        isOrdinaryVersion(found.info.version, context: context)
          || cprAllowsInPlace(found.info, context: context)
      {
        if found.info.isTombstone { return .ok }
        switch Layout.markTombstone(record: record) {
        case .updated:
          log.markDirty(found.address)  // for incremental snapshots
          return .ok
        case .sealed: continue
        case .tombstoned, .noRoom: break
        }
      }
      let size = Layout.tombstoneSize(key)
      guard size <= log.pageSizeBytes else { return .recordTooLarge }
      let allocation = allocate(size, epochSlot: context.epochSlot)
      guard case .allocated(let address, _) = allocation else { return allocation.failureStatus }
      let record = log.pointer(address)
      Layout.initializeTombstone(key, record: record)
      if publish(record, at: address, slot: &slot, version: context.version, tombstone: true) { return .ok }
    }
  }
}

/// Where a pending operation continues: the device address of the next record to read,
/// and the index entry's address when the operation went pending (an RMW compares it on
/// completion to see whether the chain changed).
@frozen
@usableFromInline
struct PendingRequest {
  @usableFromInline var address: Address
  @usableFromInline var entryAddress: Address

  @inlinable
  init(address: Address = .invalid, entryAddress: Address = .invalid) {
    self.address = address
    self.entryAddress = entryAddress
  }
}

/// Per-operation inputs from the session (or the I/O completion handler) running it.
@frozen
@usableFromInline
struct OperationContext {
  /// The session's state: its CPR version can change in the middle of an operation (a
  /// CPR shift, `StoreCore+CPR.swift`), so it is read from there.
  @usableFromInline let session: UnsafeMutablePointer<SessionState>
  /// Unmanaged: the session owns it for longer than the operation.
  @usableFromInline let registration: Unmanaged<SessionRegistration>
  @usableFromInline let epochSlot: Int
  /// Unmanaged: the session (or completion handler) owns it for longer than the
  /// operation, and a strong reference would cost a retain/release per operation.
  @usableFromInline let scratch: Unmanaged<ScratchBuffer>

  @inlinable
  init(
    session: UnsafeMutablePointer<SessionState>, registration: Unmanaged<SessionRegistration>, epochSlot: Int,
    scratch: Unmanaged<ScratchBuffer>
  ) {
    self.session = session
    self.registration = registration
    self.epochSlot = epochSlot
    self.scratch = scratch
  }

  /// The version the session writes into records.
  @inlinable var version: UInt64 { session.pointee.version }
  /// The version as a record header holds it (13 bits).
  @inlinable var versionTag: UInt64 { session.pointee.version & RecordInfo.versionMask }
}
