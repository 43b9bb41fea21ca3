/// The hybrid log's page buffer and markers as the hot path sees them: pointers into
/// memory that `HybridLog` owns, plus the constants to translate addresses.
///
/// Memory: `logMemoryBytes / pageSizeBytes` frames of `pageSizeBytes` in one contiguous
/// region, so the frame of address `a` is `base + (a & bufferMask)`.
///
/// The tail is one word, page in the high 32 bits and offset in the low 32, advanced by
/// atomic fetch-add. Records never span pages: a thread whose allocation crosses the page
/// end leaves the rest of the page unused (zero, which reads as "no record") and the next
/// page is opened (`HybridLog.openPage`) by CAS from (page, offset > pageSize) to
/// (page + 1, 0).
///
/// Tail word invariants:
/// - The page number is at most `lastOpenablePage`: it fits the word's 32 bits (with
///   4 KiB pages an address could name 2^36 pages, so the word is the limit below 64 KiB
///   pages), and the end of that page, `(page + 1) << pageSizeBits`, is still a 48-bit
///   address. `openPage` refuses the page after it (`.outOfAddressSpace`).
/// - The offset is below `pageSize + threads × largestFetchAddBytes` ≤ 2^30 + 2^16 ×
///   2^12 < 2^32, so it never carries into the page number. A thread fetch-adds only
///   after seeing room, so only threads that saw room at the same time push the offset
///   past the page end, each by at most its record; records larger than
///   `largestFetchAddBytes` are reserved by CAS and never push it past. (Sessions, the
///   only allocating threads, are at most `maxSessions` ≤ 2^16.) With fetch-add for every
///   size, a few page-sized records at once could carry (1 GiB pages: 4 threads).
///
/// Thread safety: every shared word is atomic; copies of the struct are freely shared.
@frozen
@usableFromInline
struct LogBuffer {
  @usableFromInline let pageSizeBits: Int
  @usableFromInline let pageSizeBytes: Int
  @usableFromInline let bufferMask: UInt64
  @usableFromInline let base: UnsafeMutableRawPointer
  @usableFromInline let markers: UnsafeMutableRawPointer

  @inlinable
  init(
    pageSizeBits: Int, pageSizeBytes: Int, bufferMask: UInt64, base: UnsafeMutableRawPointer,
    markers: UnsafeMutableRawPointer
  ) {
    self.pageSizeBits = pageSizeBits
    self.pageSizeBytes = pageSizeBytes
    self.bufferMask = bufferMask
    self.base = base
    self.markers = markers
  }

  // The tail has a cache line of its own: every allocating thread writes it.
  @inlinable var tailWord: AtomicWord { AtomicWord(markers) }
  @inlinable var beginWord: AtomicWord { AtomicWord(markers + 64) }
  @inlinable var headWord: AtomicWord { AtomicWord(markers + 72) }
  @inlinable var safeReadOnlyWord: AtomicWord { AtomicWord(markers + 80) }
  @inlinable var readOnlyWord: AtomicWord { AtomicWord(markers + 88) }
  /// Everything below is on the device (written and completed).
  @inlinable var flushedUntilWord: AtomicWord { AtomicWord(markers + 96) }
  /// Every frame below is evicted and zeroed: free for a new page.
  @inlinable var closedUntilWord: AtomicWord { AtomicWord(markers + 104) }

  /// Where the per-frame dirty flags start in the markers allocation (after the two
  /// marker cache lines): one word per frame, each in a cache line of its own so that
  /// threads updating different pages do not share a line.
  @inlinable static var dirtyFlagsOffset: Int { 128 }
  @inlinable static var dirtyFlagStride: Int { 64 }

  /// The dirty flag of the frame holding `address`: 1 once a record on the page was
  /// changed in place since an incremental-snapshot checkpoint last cleared it.
  @inlinable
  func dirtyFlag(_ address: Address) -> AtomicWord {
    let frame = Int((address.rawValue & bufferMask) >> UInt64(truncatingIfNeeded: pageSizeBits))
    return AtomicWord(markers + Self.dirtyFlagsOffset + frame &* Self.dirtyFlagStride)
  }

  /// Records that the page of `address` was changed in place (hot path: called after the
  /// change). A release store, which on x86-64 is a plain `mov` (no lock prefix, no
  /// branch): it orders the record's bytes before the flag, so a checkpoint that clears
  /// the flag and then copies the page (`HybridLog.takeDirtyFlag`) either copies the
  /// change or sees the flag set again at its next delta.
  @inlinable
  func markDirty(_ address: Address) {
    dirtyFlag(address).store(1, .releasing)
  }

  @inlinable var beginAddress: Address { Address(beginWord.load(.acquiring)) }
  @inlinable var headAddress: Address { Address(headWord.load(.acquiring)) }
  @inlinable var safeReadOnlyAddress: Address { Address(safeReadOnlyWord.load(.acquiring)) }
  @inlinable var readOnlyAddress: Address { Address(readOnlyWord.load(.acquiring)) }
  @inlinable var flushedUntilAddress: Address { Address(flushedUntilWord.load(.acquiring)) }
  @inlinable var closedUntilAddress: Address { Address(closedUntilWord.load(.acquiring)) }

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

  /// The last page the tail may open: the smaller of the tail word's largest page number
  /// (32 bits) and the last page whose end is still below 2^47 (bit 47 marks read-cache
  /// addresses, `Address.readCacheBit`).
  @inlinable
  var lastOpenablePage: UInt64 {
    Swift.min(UInt64(UInt32.max), ((Address.readCacheBit &- 1) >> UInt64(pageSizeBits)) &- 1)
  }

  /// The in-memory location of an address in [head, tail).
  @inlinable
  func pointer(_ address: Address) -> UnsafeMutableRawPointer {
    base + Int(address.rawValue & bufferMask)
  }

  /// The result of `tryAllocate`.
  @frozen
  @usableFromInline
  enum Reservation {
    case allocated(Address)
    /// The tail page is full: open the page after this one and try again.
    case pageFull(UInt64)
  }

  /// Records up to this size are reserved by fetch-add, larger ones by CAS (see the
  /// offset invariant).
  @inlinable static var largestFetchAddBytes: UInt64 { 4096 }

  /// Reserves `size` bytes (a multiple of 8, at most a page) in the tail page.
  @inlinable
  func tryAllocate(_ size: Int) -> Reservation {
    assert(size & 7 == 0 && size > 0 && size <= pageSizeBytes)
    let size64 = UInt64(truncatingIfNeeded: size)
    let pageSize64 = UInt64(truncatingIfNeeded: pageSizeBytes)
    var word = tailWord.load(.acquiring)
    // Only add when the page has room, so a full page is not pushed further: the offset
    // stays below pageSize + threads * largestFetchAddBytes (see the type's invariants).
    if word & 0xFFFF_FFFF &+ size64 <= pageSize64 {
      if size64 > LogBuffer.largestFetchAddBytes { return tryAllocateByExchange(size64, seen: word) }
      word = tailWord.fetchAdd(size64, .acquiringAndReleasing)
      let offset = word & 0xFFFF_FFFF
      assert(offset < 1 << 32 - LogBuffer.largestFetchAddBytes, "tail offset near the page number's bits")
      if offset &+ size64 <= pageSize64 {
        return .allocated(Address(page: word >> 32, offset: offset, pageSizeBits: pageSizeBits))
      }
    }
    return .pageFull(word >> 32)
  }

  /// `tryAllocate` for a large record: a CAS that moves the offset only when the record
  /// fits, so the offset never passes the page end on its account.
  @usableFromInline
  func tryAllocateByExchange(_ size64: UInt64, seen: UInt64) -> Reservation {
    let pageSize64 = UInt64(truncatingIfNeeded: pageSizeBytes)
    var word = seen
    while true {
      let offset = word & 0xFFFF_FFFF
      if offset &+ size64 > pageSize64 { return .pageFull(word >> 32) }
      let (exchanged, original) = tailWord.compareExchangeReturningOriginal(
        expected: word, desired: word &+ size64, .acquiringAndReleasing)
      if exchanged {
        return .allocated(Address(page: word >> 32, offset: offset, pageSizeBits: pageSizeBits))
      }
      word = original
    }
  }
}
