import FasterPlatform

/// The hybrid log: one logical address space of records over a circular buffer of
/// in-memory pages (and, with the disk tier, a storage device below it).
///
/// Markers, all monotone, with
///
///     begin <= head <= safeReadOnly <= readOnly <= tail
///
/// - [readOnly, tail): the mutable region; records are updated in place.
/// - [safeReadOnly, readOnly): the fuzzy region: some threads may not have seen the
///   read-only shift yet and may still update in place, so an RMW must not copy from here
///   (it refreshes its epoch and retries).
/// - [head, safeReadOnly): read-only in memory; updates copy the record to the tail.
/// - [begin, head): below memory (the disk tier; until it lands head stays at begin, and
///   a full buffer makes allocation fail with `.outOfMemory`).
///
/// Memory: `bufferPageCount` frames of `pageSizeBytes` in one contiguous region, so the
/// frame of address `a` is `base + (a & bufferMask)`. The log is never longer than the
/// buffer above `head`.
///
/// The tail is one word, page in the high 32 bits and offset in the low 32, advanced by
/// atomic fetch-add. Records never span pages: a thread whose allocation crosses the page
/// end leaves the rest of the page unused (zero, which reads as "no record") and opens
/// the next page by CAS from (page, offset > pageSize) to (page + 1, 0).
///
/// Thread safety: allocation and marker reads are lock-free; callers hold epoch protection.
@usableFromInline
final class HybridLog: @unchecked Sendable {
  // @unchecked Sendable: shared state is raw memory accessed through atomic words; the
  // rest is immutable after init.
  @usableFromInline let pageSizeBits: Int
  @usableFromInline let pageSizeBytes: Int
  @usableFromInline let bufferPageCount: Int
  @usableFromInline let bufferMask: UInt64
  @usableFromInline let mutablePageCount: Int
  @usableFromInline let base: UnsafeMutableRawPointer
  @usableFromInline let markers: UnsafeMutableRawPointer
  let region: AlignedRegion
  let epoch: LightEpoch

  /// The result of `allocate`.
  @frozen
  @usableFromInline
  enum Allocation {
    case allocated(Address)
    /// Every frame holds a live page (no disk tier to evict to).
    case outOfMemory
  }

  init(options: FasterKVOptions, epoch: LightEpoch) throws(FasterError) {
    pageSizeBytes = options.pageSizeBytes
    pageSizeBits = options.pageSizeBytes.trailingZeroBitCount
    bufferPageCount = options.logMemoryBytes / options.pageSizeBytes
    bufferMask = UInt64(options.logMemoryBytes - 1)
    mutablePageCount = Swift.max(1, Int(Double(bufferPageCount) * options.mutableFraction))
    self.epoch = epoch
    do {
      region = try PageAllocator.allocate(
        byteCount: options.logMemoryBytes, alignment: Swift.min(options.logMemoryBytes, 1 << 21),
        hugePages: options.hugePages)
    } catch {
      throw FasterError.outOfMemory("log memory of \(options.logMemoryBytes) bytes: \(error)")
    }
    base = region.base
    markers = UnsafeMutableRawPointer.allocate(byteCount: 2 * 64, alignment: 64)
    markers.initializeMemory(as: UInt8.self, repeating: 0, count: 2 * 64)
    let start = Address.firstValid.rawValue
    tailWord.store(start, .sequentiallyConsistent)  // page 0, offset 64
    for word in [beginWord, headWord, safeReadOnlyWord, readOnlyWord] {
      word.store(start, .sequentiallyConsistent)
    }
  }

  deinit {
    PageAllocator.deallocate(region)
    markers.deallocate()
  }

  // The tail has a cache line of its own: every allocating thread writes it.
  @inlinable var tailWord: AtomicWord { AtomicWord(markers) }
  @inlinable var beginWord: AtomicWord { AtomicWord(markers + 64) }
  @inlinable var headWord: AtomicWord { AtomicWord(markers + 72) }
  @inlinable var safeReadOnlyWord: AtomicWord { AtomicWord(markers + 80) }
  @inlinable var readOnlyWord: AtomicWord { AtomicWord(markers + 88) }

  @inlinable var beginAddress: Address { Address(beginWord.load(.acquiring)) }
  @inlinable var headAddress: Address { Address(headWord.load(.acquiring)) }
  @inlinable var safeReadOnlyAddress: Address { Address(safeReadOnlyWord.load(.acquiring)) }
  @inlinable var readOnlyAddress: Address { Address(readOnlyWord.load(.acquiring)) }

  /// The end of the allocated log: the tail, or the start of the next page when the
  /// tail page is full.
  @inlinable
  var tailAddress: Address {
    let word = tailWord.load(.acquiring)
    let offset = word & 0xFFFF_FFFF
    if offset >= UInt64(pageSizeBytes) {
      return Address(page: (word >> 32) &+ 1, offset: 0, pageSizeBits: pageSizeBits)
    }
    return Address(page: word >> 32, offset: offset, pageSizeBits: pageSizeBits)
  }

  /// The in-memory location of an address in [head, tail).
  @inlinable
  func pointer(_ address: Address) -> UnsafeMutableRawPointer {
    base + Int(address.rawValue & bufferMask)
  }

  /// Reserves `size` bytes (a multiple of 8, at most a page) at the tail.
  @inlinable
  func allocate(_ size: Int) -> Allocation {
    assert(size & 7 == 0 && size > 0 && size <= pageSizeBytes)
    let size64 = UInt64(truncatingIfNeeded: size)
    let pageSize64 = UInt64(truncatingIfNeeded: pageSizeBytes)
    while true {
      var word = tailWord.load(.acquiring)
      // Only add when the page has room, so a full page is not pushed further: the
      // offset stays below pageSize + threads * maxRecordSize and cannot overflow 32 bits.
      if word & 0xFFFF_FFFF &+ size64 <= pageSize64 {
        word = tailWord.fetchAdd(size64, .acquiringAndReleasing)
        let offset = word & 0xFFFF_FFFF
        if offset &+ size64 <= pageSize64 {
          return .allocated(Address(page: word >> 32, offset: offset, pageSizeBits: pageSizeBits))
        }
      }
      if !openPage(after: word >> 32) { return .outOfMemory }
    }
  }

  /// Moves the tail from a full `page` to the start of the next one. Returns false when
  /// the next page has no free frame. Returns true if the tail is past `page` (whoever
  /// moved it).
  @usableFromInline
  func openPage(after page: UInt64) -> Bool {
    let nextPage = page &+ 1
    while true {
      let word = tailWord.load(.acquiring)
      if word >> 32 != page { return true }
      let headPage = headWord.load(.acquiring) >> UInt64(pageSizeBits)
      guard nextPage < headPage &+ UInt64(bufferPageCount),
        nextPage < (Address.mask >> UInt64(pageSizeBits))
      else { return false }
      if tailWord.compareExchange(expected: word, desired: nextPage << 32) {
        pageOpened(nextPage)
        return true
      }
    }
  }

  /// Keeps the read-only marker `mutablePageCount` pages behind the tail page.
  func pageOpened(_ page: UInt64) {
    guard page + 1 > UInt64(mutablePageCount) else { return }
    let readOnlyPage = page + 1 - UInt64(mutablePageCount)
    shiftReadOnly(to: Address(page: readOnlyPage, offset: 0, pageSizeBits: pageSizeBits))
  }

  /// Raises the read-only marker to `address` (at most the tail). Once every thread has
  /// seen the new marker (an epoch later), the safe read-only marker follows.
  func shiftReadOnly(to address: Address) {
    let target = Swift.min(address, tailAddress)
    guard readOnlyWord.raise(to: target.rawValue) else { return }
    epoch.bumpEpoch { [safeReadOnlyWord] in
      // Nothing to flush in memory; the disk tier flushes [old, target) here first.
      safeReadOnlyWord.raise(to: target.rawValue)
    }
  }

  /// Bytes of log memory backed by huge pages now.
  var hugePageBytes: Int { PageAllocator.hugePageBytes(in: region) }
}
