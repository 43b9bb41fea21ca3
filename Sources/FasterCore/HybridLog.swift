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
  // @unchecked Sendable: shared state is raw memory accessed through atomic words (see
  // `LogBuffer`); the rest is immutable after init.
  @usableFromInline let buffer: LogBuffer
  let bufferPageCount: Int
  let mutablePageCount: Int
  let region: AlignedRegion
  let markers: UnsafeMutableRawPointer
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
    bufferPageCount = options.logMemoryBytes / options.pageSizeBytes
    mutablePageCount = Swift.max(1, Int(Double(bufferPageCount) * options.mutableFraction))
    self.epoch = epoch
    do {
      region = try PageAllocator.allocate(
        byteCount: options.logMemoryBytes, alignment: Swift.min(options.logMemoryBytes, 1 << 21),
        hugePages: options.hugePages)
    } catch {
      throw FasterError.outOfMemory("log memory of \(options.logMemoryBytes) bytes: \(error)")
    }
    markers = UnsafeMutableRawPointer.allocate(byteCount: 2 * 64, alignment: 64)
    markers.initializeMemory(as: UInt8.self, repeating: 0, count: 2 * 64)
    buffer = LogBuffer(
      pageSizeBits: options.pageSizeBytes.trailingZeroBitCount, pageSizeBytes: options.pageSizeBytes,
      bufferMask: UInt64(options.logMemoryBytes - 1), base: region.base, markers: markers)
    let start = Address.firstValid.rawValue
    buffer.tailWord.store(start, .sequentiallyConsistent)  // page 0, offset 64
    for word in [buffer.beginWord, buffer.headWord, buffer.safeReadOnlyWord, buffer.readOnlyWord] {
      word.store(start, .sequentiallyConsistent)
    }
  }

  deinit {
    PageAllocator.deallocate(region)
    markers.deallocate()
  }

  var pageSizeBits: Int { buffer.pageSizeBits }
  var beginAddress: Address { buffer.beginAddress }
  var headAddress: Address { buffer.headAddress }
  var safeReadOnlyAddress: Address { buffer.safeReadOnlyAddress }
  var readOnlyAddress: Address { buffer.readOnlyAddress }
  var tailAddress: Address { buffer.tailAddress }
  func pointer(_ address: Address) -> UnsafeMutableRawPointer { buffer.pointer(address) }

  /// Reserves `size` bytes (a multiple of 8, at most a page) at the tail, opening pages
  /// as needed.
  func allocate(_ size: Int) -> Allocation {
    while true {
      switch buffer.tryAllocate(size) {
      case .allocated(let address): return .allocated(address)
      case .pageFull(let page): if !openPage(after: page) { return .outOfMemory }
      }
    }
  }

  /// Moves the tail from a full `page` to the start of the next one. Returns false when
  /// the next page has no free frame. Returns true if the tail is past `page` (whoever
  /// moved it).
  @usableFromInline
  func openPage(after page: UInt64) -> Bool {
    let nextPage = page &+ 1
    let pageSizeBits = UInt64(buffer.pageSizeBits)
    while true {
      let word = buffer.tailWord.load(.acquiring)
      if word >> 32 != page { return true }
      let headPage = buffer.headWord.load(.acquiring) >> pageSizeBits
      guard nextPage < headPage &+ UInt64(bufferPageCount), nextPage < (Address.mask >> pageSizeBits)
      else { return false }
      if buffer.tailWord.compareExchange(expected: word, desired: nextPage << 32) {
        pageOpened(nextPage)
        return true
      }
    }
  }

  /// Keeps the read-only marker `mutablePageCount` pages behind the tail page.
  func pageOpened(_ page: UInt64) {
    guard page + 1 > UInt64(mutablePageCount) else { return }
    let readOnlyPage = page + 1 - UInt64(mutablePageCount)
    shiftReadOnly(to: Address(page: readOnlyPage, offset: 0, pageSizeBits: buffer.pageSizeBits))
  }

  /// Raises the read-only marker to `address` (at most the tail). Once every thread has
  /// seen the new marker (an epoch later), the safe read-only marker follows.
  func shiftReadOnly(to address: Address) {
    let target = Swift.min(address, buffer.tailAddress)
    guard buffer.readOnlyWord.raise(to: target.rawValue) else { return }
    let safeReadOnlyWord = buffer.safeReadOnlyWord
    epoch.bumpEpoch {
      // Nothing to flush in memory; the disk tier flushes [old, target) here first.
      safeReadOnlyWord.raise(to: target.rawValue)
    }
  }

  /// Bytes of log memory backed by huge pages now.
  var hugePageBytes: Int { PageAllocator.hugePageBytes(in: region) }
}
