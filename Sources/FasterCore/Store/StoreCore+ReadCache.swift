/// The operations' side of the read cache (`ReadCache`): stepping over a cached record
/// at the front of a chain, serving hits, and caching what a read brought back from the
/// device. With the read cache off no entry carries `Address.readCacheBit`, so the hot
/// path pays one predictable branch (`skipReadCache`).
extension StoreCore {
  /// The chain's newest main-log address: `address` itself, or the previous address of
  /// the cached record it names.
  @inlinable
  func skipReadCache(_ address: Address) -> Address {
    guard address.isReadCache else { return address }
    return readCachePrevious(address)
  }

  /// The previous address of the cached record at `address`. The caller loaded the entry
  /// holding `address` under its current epoch protection, or will CAS that entry: if it
  /// refreshed since, the record may be gone (its frame zeroed or reused), but then the
  /// entry has moved on and the CAS fails, so any value returned here is harmless.
  @usableFromInline
  @inline(never)
  func readCachePrevious(_ address: Address) -> Address {
    let record = readCache.unsafelyUnwrapped.pointer(address)
    let previous = RecordInfo(rawValue: AtomicWord(record).load(.acquiring)).previousAddress
    return previous.rawValue == 0 || previous.isReadCache ? .invalid : previous
  }

  /// A read whose entry names a cached record: serves it if it holds `key` (non-nil
  /// status), else sets `start` to the main-log chain. A hit in the oldest share of the
  /// cache copies the record to the cache's tail (second chance).
  @usableFromInline
  @inline(never)
  func readFromCache<Operation: ReadOperation>(
    _ key: Layout.Key, hash: KeyHash, slot: HashTable.EntrySlot, _ operation: inout Operation,
    start: inout Address
  ) -> OperationStatus? {
    let buffer = readCache.unsafelyUnwrapped
    let address = slot.entry.address
    let record = buffer.pointer(address)
    let info = RecordInfo(rawValue: AtomicWord(record).load(.acquiring))
    guard !info.isInvalid, Layout.keyMatches(key, record: record) else {
      start = info.previousAddress
      return nil
    }
    AtomicWord(buffer.markers + 128 + Int(hash.rawValue & 63) &* 64).fetchAdd(1, .relaxed)
    let status = operation.read(record: record)
    let secondChanceBytes = AtomicWord(buffer.markers + 112).load(.relaxed)
    if address.readCacheOffset.rawValue < buffer.headAddress.rawValue &+ secondChanceBytes {
      var slot = slot
      readCacheOwner.unsafelyUnwrapped._withUnsafeGuaranteedRef {
        if $0.insert(
          record, size: Layout.recordSize(at: record), previous: info.previousAddress, version: info.version,
          slot: &slot)
        {
          $0.secondChances.add(1, ordering: .relaxed)
        }
      }
    }
    return status
  }

  /// Caches the record a read brought back from the device (private memory), if the
  /// key's entry still holds the address the read saw before going to the device (then
  /// this is the key's newest version). Call under epoch protection.
  func cacheDeviceRecord(_ key: Layout.Key, record: UnsafeRawPointer, expectedEntryAddress: Address) {
    guard let owner = readCacheOwner else { return }
    let cache = owner.takeUnretainedValue()
    let info = RecordInfo(rawValue: record.load(as: UInt64.self))
    guard !info.isTombstone, var slot = index.findEntry(Layout.hash(key)),
      slot.entry.address == expectedEntryAddress
    else {
      cache.failedInserts.add(1, ordering: .relaxed)
      return
    }
    let previous = skipReadCache(expectedEntryAddress)
    if cache.insert(
      record, size: Layout.recordSize(at: record), previous: previous, version: info.version, slot: &slot)
    {
      cache.inserts.add(1, ordering: .relaxed)
    }
  }
}

extension StoreCore {
  /// An RMW whose entry names a cached record: when it holds `key`, the update of that
  /// copy (the key's newest value) is appended to the main log, which also unlinks the
  /// copy (`.some(status)`, or `.some(nil)` to start over). Nil when the record holds
  /// another key; `start` is then the main-log chain.
  @usableFromInline
  @inline(never)
  func readModifyWriteFromCache<Operation: ReadModifyWriteOperation>(
    _ key: Layout.Key, _ operation: inout Operation, slot: inout HashTable.EntrySlot,
    context: OperationContext,
    start: inout Address
  ) -> OperationStatus?? {
    let buffer = readCache.unsafelyUnwrapped
    let record = buffer.pointer(slot.entry.address)
    let info = RecordInfo(rawValue: AtomicWord(record).load(.acquiring))
    guard !info.isInvalid, Layout.keyMatches(key, record: record) else {
      start = info.previousAddress
      return nil
    }
    if info.version != context.versionTag, case .retry = cprReadModifyWriteCase(info, context: context) {
      return .some(nil)
    }
    AtomicWord(buffer.markers + 128 + Int(Layout.hash(key).rawValue & 63) &* 64).fetchAdd(1, .relaxed)
    // A cached record is never written in place: copy it like a read-only one.
    return .some(copyUpdate(from: record, sourceIsPrivate: false, &operation, slot: &slot, context: context))
  }
}
