import FasterPlatform
import Synchronization

/// FASTER's read cache: a second in-memory log, with no device, holding copies of records
/// read back from the device, so the next read of a hot key is served from memory.
///
/// Linking (the rules every chain walker relies on):
/// - A hash entry may point at a read-cache record: its address carries
///   `Address.readCacheBit`. A chain has at most one read-cache record, at its front: the
///   record's previous address is the chain's newest main-log record (FASTER C++'s
///   layout). `StoreCore.skipReadCache` steps over it.
/// - A record is cached only if the entry still holds the address the read saw before
///   going to the device (CAS on the entry): then no newer version of the key exists, and
///   the cached copy is the key's newest value. Any update, RMW or delete of a chain
///   publishes its main-log record by CAS on the same entry, with the main-log part of
///   the chain as its previous address, so the cached copy leaves the chain in the same
///   atomic step that makes it stale. A lost CAS means "just don't cache".
/// - Cached records are never written after they are published (no in-place update).
///
/// Eviction (when the head passes a page), in two epoch steps:
/// 1. An epoch after the head moves, every insert into the passed pages has finished
///    (inserting never refreshes the epoch), so the pages are walked and every entry that
///    still points at one of their records is swung (CAS) to the record's previous address.
/// 2. An epoch after that, no thread can still hold an entry value that pointed there:
///    the frames are zeroed and `closedUntil` passes them, so a new page may use them.
/// A thread that loaded an entry pointing at a cached record can therefore read the
/// record (and its previous address) for as long as it stays protected.
///
/// Thread safety: lock-free on the operation paths (no allocation, no lock, no retain);
/// head shifts take `evictionLock`, off the hot path.
@usableFromInline
final class ReadCache<Layout: RecordLayout>: @unchecked Sendable {
  // @unchecked Sendable: shared state is raw memory accessed through atomic words (see
  // `LogBuffer`), counters are atomics, head shifts run under `evictionLock`.
  let buffer: LogBuffer
  let settings: ReadCacheSettings
  let region: AlignedRegion
  let markers: UnsafeMutableRawPointer
  let epoch: LightEpoch
  let index: HashTable
  let bufferPageCount: UInt64
  /// Serializes head shifts and the walks and frame zeroing that follow them.
  let evictionLock = ControlLock<Void>(())
  /// Everything below has been walked and unlinked (under `evictionLock`).
  private var unlinkedUntil: UInt64

  let inserts = Atomic<UInt64>(0)
  let secondChances = Atomic<UInt64>(0)
  let evictions = Atomic<UInt64>(0)
  let failedInserts = Atomic<UInt64>(0)

  /// Hit counters, striped over cache lines (by key hash) after the markers.
  static var hitStripes: Int { 64 }
  /// Offset in `markers` of the word holding the second-chance span in bytes.
  static var secondChanceWordOffset: Int { 112 }
  static var hitStripeOffset: Int { 128 }

  init(settings: ReadCacheSettings, epoch: LightEpoch, index: HashTable) throws(FasterError) {
    try settings.validate()
    self.settings = settings
    self.epoch = epoch
    self.index = index
    bufferPageCount = UInt64(settings.bufferPageCount)
    do {
      region = try PageAllocator.allocate(
        byteCount: settings.memoryBytes, alignment: Swift.min(settings.memoryBytes, 1 << 21),
        hugePages: .madvise)
    } catch {
      throw FasterError.outOfMemory("read cache memory of \(settings.memoryBytes) bytes: \(error)")
    }
    let markerBytes = ReadCache.hitStripeOffset + ReadCache.hitStripes * 64
    markers = UnsafeMutableRawPointer.allocate(byteCount: markerBytes, alignment: 64)
    markers.initializeMemory(as: UInt8.self, repeating: 0, count: markerBytes)
    buffer = LogBuffer(
      pageSizeBits: settings.pageSizeBytes.trailingZeroBitCount, pageSizeBytes: settings.pageSizeBytes,
      bufferMask: UInt64(settings.memoryBytes - 1), base: region.base, markers: markers)
    let start = Address.firstValid.rawValue
    buffer.tailWord.store(start, .sequentiallyConsistent)
    for word in [
      buffer.beginWord, buffer.headWord, buffer.safeReadOnlyWord, buffer.readOnlyWord,
      buffer.flushedUntilWord,
      buffer.closedUntilWord,
    ] {
      word.store(start, .sequentiallyConsistent)
    }
    unlinkedUntil = start
    let secondChanceBytes = UInt64(Double(settings.memoryBytes) * settings.secondChanceFraction)
    AtomicWord(markers + ReadCache.secondChanceWordOffset).store(secondChanceBytes, .sequentiallyConsistent)
  }

  deinit {
    PageAllocator.deallocate(region)
    markers.deallocate()
  }

  var headAddress: Address { buffer.headAddress }
  var tailAddress: Address { buffer.tailAddress }

  /// Read hits so far (the sum of the stripes).
  var hits: UInt64 {
    (0..<ReadCache.hitStripes).reduce(0) {
      $0 &+ AtomicWord(markers + ReadCache.hitStripeOffset + $1 * 64).load(.relaxed)
    }
  }

  var statistics: ReadCacheStatistics {
    ReadCacheStatistics(
      memoryBytes: settings.memoryBytes, pageSizeBytes: settings.pageSizeBytes, hits: hits,
      inserts: inserts.load(ordering: .relaxed), secondChanceCopies: secondChances.load(ordering: .relaxed),
      failedInserts: failedInserts.load(ordering: .relaxed),
      evictedEntries: evictions.load(ordering: .relaxed),
      headAddress: buffer.headAddress.rawValue, tailAddress: buffer.tailAddress.rawValue)
  }

  // MARK: Inserting

  /// Copies the record at `source` (`size` bytes) to the cache's tail and links it in
  /// front of the chain by swinging `slot` (as read by the caller, under its epoch
  /// protection) from the entry value it holds to the copy, with `previous` (the chain's
  /// newest main-log record) as the copy's previous address. False when there is no room
  /// now or the entry moved (the copy is left marked invalid).
  func insert(
    _ source: UnsafeRawPointer, size: Int, previous: Address, version: UInt64, slot: inout HashTable.EntrySlot
  ) -> Bool {
    guard size <= buffer.pageSizeBytes, previous.rawValue != 0, !previous.isReadCache,
      let address = allocate(size)
    else {
      failedInserts.add(1, ordering: .relaxed)
      return false
    }
    let record = buffer.pointer(address)
    // Payload first, the header last (release), as `StoreCore.publish` does.
    (record + 8).copyMemory(from: source + 8, byteCount: size - 8)
    let info = RecordInfo(previousAddress: previous, version: version)
    AtomicWord(record).store(info.rawValue, .releasing)
    if slot.compareExchange(to: .inReadCache(address)) { return true }
    AtomicWord(record).store(info.rawValue | RecordInfo.invalidBit, .releasing)
    failedInserts.add(1, ordering: .relaxed)
    return false
  }

  /// Reserves `size` bytes at the tail; nil when no frame is free right now (eviction is
  /// then under way: a later insert will find room). Never waits and never refreshes
  /// the epoch (eviction relies on that: see the type's comment).
  private func allocate(_ size: Int) -> Address? {
    for _ in 0..<4 {
      switch buffer.tryAllocate(size) {
      case .allocated(let address): return address
      case .pageFull(let page): if !openPage(after: page) { return nil }
      }
    }
    return nil
  }

  /// Moves the tail past the full `page` when the next frame is free; otherwise starts
  /// freeing it and returns false.
  private func openPage(after page: UInt64) -> Bool {
    let nextPage = page &+ 1
    let pageSizeBits = UInt64(buffer.pageSizeBits)
    while true {
      let word = buffer.tailWord.load(.acquiring)
      if word >> 32 != page { return true }
      // The read cache's own addresses stay below the read-cache bit too.
      guard nextPage <= buffer.lastOpenablePage else { return false }
      let closedPage = buffer.closedUntilWord.load(.acquiring) >> pageSizeBits
      if nextPage >= closedPage &+ bufferPageCount {
        shiftHead(to: (nextPage &+ 1 &- bufferPageCount) << pageSizeBits)
        return false
      }
      if buffer.tailWord.compareExchange(expected: word, desired: nextPage << 32) {
        // Keep one frame being freed ahead of the tail, so inserts rarely find none.
        if nextPage &+ 2 > bufferPageCount {
          shiftHead(to: (nextPage &+ 2 &- bufferPageCount) << pageSizeBits)
        }
        return true
      }
    }
  }

  // MARK: Eviction

  /// Raises the head to `target` (page-aligned) and schedules the unlink walk and the
  /// frame release (see the type's comment).
  func shiftHead(to target: UInt64) {
    let raised = evictionLock.withLock { _ in buffer.headWord.raise(to: target) }
    guard raised else { return }
    epoch.bumpEpoch { [self] in
      // Every insert into the pages below `target` has finished.
      unlink(until: target)
      epoch.bumpEpoch { [self] in
        // No thread still holds an entry value that pointed below `target`.
        close(until: target)
      }
    }
  }

  /// Walks the records in [unlinkedUntil, target) and swings every entry that still
  /// points at one of them to its previous address.
  private func unlink(until target: UInt64) {
    evictionLock.withLock { _ in
      let pageSize = UInt64(buffer.pageSizeBytes)
      var address = unlinkedUntil
      while address < target {
        let pageEnd = (address & ~(pageSize - 1)) + pageSize
        unlinkPage(from: address, to: pageEnd)
        address = pageEnd
      }
      if target > unlinkedUntil { unlinkedUntil = target }
    }
  }

  private func unlinkPage(from start: UInt64, to end: UInt64) {
    var address = Swift.max(start, Address.firstValid.rawValue)
    while address + 8 <= end {
      let record = buffer.pointer(Address(address))
      let info = RecordInfo(rawValue: AtomicWord(record).load(.acquiring))
      if info.isEmpty { return }  // the unused end of the page
      let size = Layout.recordSize(at: record)
      guard size >= 8, size & 7 == 0, address + UInt64(size) <= end else { return }
      if !info.isInvalid, var slot = index.findEntry(Layout.keyHash(ofRecord: record)) {
        let cached = Address.inReadCache(Address(address))
        while slot.entry.address == cached {
          if slot.compareExchange(to: info.previousAddress) {
            evictions.add(1, ordering: .relaxed)
            break
          }
        }
      }
      address += UInt64(size)
    }
  }

  /// Zeroes the frames below `target` not yet closed, then raises `closedUntil` (each
  /// frame is zeroed before `closedUntil` passes it: a new page may use it right after).
  private func close(until target: UInt64) {
    evictionLock.withLock { _ in
      let pageSize = UInt64(buffer.pageSizeBytes)
      var closed = buffer.closedUntilWord.load(.acquiring)
      let limit = Swift.min(target, unlinkedUntil)
      while closed < limit {
        let pageStart = closed & ~(pageSize - 1)
        let next = Swift.min(pageStart + pageSize, limit)
        if next == pageStart + pageSize {
          buffer.pointer(Address(pageStart)).initializeMemory(
            as: UInt8.self, repeating: 0, count: Int(pageSize))
        }
        buffer.closedUntilWord.store(next, .releasing)
        closed = next
      }
    }
  }
}
