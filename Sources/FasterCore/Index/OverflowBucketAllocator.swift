import CFasterShims
import FasterPlatform

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A fixed-page allocator of overflow hash buckets.
///
/// Buckets are handed out by an atomic counter and addressed by a 48-bit "overflow
/// address" (1-based; 0 means none) that fits in a bucket's overflow word. They come in
/// pages of `bucketsPerPage` buckets, allocated zeroed from `PageAllocator` the first time
/// the counter enters a page; a page table translates an overflow address to a pointer.
///
/// Invariants:
/// - `nextBucket` only grows; every address below it belongs to a page that is (or is
///   about to be) published in the page table.
/// - A published page is never moved or freed before the allocator is deinitialised.
///
/// - A page word goes from 0 to the page's base (or to `UInt64.max` when no memory could
///   be had) exactly once, set by the thread whose bucket number starts the page.
///
/// Thread safety: `allocate` and `pointer(to:)` are lock-free, except that `allocate`
/// takes a lock in the thread that opens a new page (once per `bucketsPerPage` buckets),
/// and a thread whose bucket is in a page still being opened waits for its opener.
@usableFromInline
final class OverflowBucketAllocator: @unchecked Sendable {
  // @unchecked Sendable: all shared state is in `state` (atomic words) and `regions`
  // (a `ControlLock`); `allocatePage` is a `@Sendable` function.
  @inlinable static var bucketsPerPageBits: Int { 12 }
  @inlinable static var bucketsPerPage: Int { 1 << bucketsPerPageBits }
  @inlinable static var maxPageCount: Int { 1 << 16 }

  /// Word 0: next bucket number; words 1...maxPageCount: page base pointers.
  @usableFromInline let state: UnsafeMutableRawPointer
  private let regions = ControlLock<[AlignedRegion]>([])
  /// Gets a zeroed page of `byteCount` bytes, or nil when there is no memory
  /// (`PageAllocator`; tests inject a slow or failing source).
  private let allocatePage: @Sendable (_ byteCount: Int) -> AlignedRegion?

  init(
    hugePages: HugePagePolicy,
    allocatePage: (@Sendable (_ byteCount: Int) -> AlignedRegion?)? = nil
  ) {
    self.allocatePage =
      allocatePage ?? { byteCount in
        try? PageAllocator.allocate(
          byteCount: byteCount, alignment: HashBucket.sizeBytes, hugePages: hugePages)
      }
    let byteCount = (OverflowBucketAllocator.maxPageCount + 1) * 8
    state = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
    state.initializeMemory(as: UInt64.self, repeating: 0, count: OverflowBucketAllocator.maxPageCount + 1)
  }

  deinit {
    regions.withLock { regions in
      for region in regions { PageAllocator.deallocate(region) }
    }
    state.deallocate()
  }

  /// Number of overflow buckets handed out.
  var allocatedBucketCount: Int { Int(AtomicWord(state).load(.relaxed)) }

  /// Bytes of memory held in overflow pages.
  var allocatedByteCount: Int { regions.withLock { $0.reduce(0) { $0 + $1.byteCount } } }

  /// A zeroed bucket's overflow address, or nil when the allocator is exhausted
  /// (2^28 buckets) or memory could not be had.
  @inlinable
  func allocate() -> UInt64? {
    let number = AtomicWord(state).fetchAdd(1, .relaxed)
    let pageIndex = Int(number >> UInt64(OverflowBucketAllocator.bucketsPerPageBits))
    guard pageIndex < OverflowBucketAllocator.maxPageCount else { return nil }
    let pageWord = AtomicWord(state + (8 &+ pageIndex &* 8))
    if number & UInt64(OverflowBucketAllocator.bucketsPerPage - 1) == 0 {
      guard openPage(pageWord) else { return nil }
    } else if pageWord.load(.acquiring) == 0 {
      // Another thread is opening this page.
      guard waitForPage(pageWord) else { return nil }
    } else if pageWord.load(.acquiring) == UInt64.max {
      return nil  // the opener could not get memory
    }
    return number &+ 1
  }

  /// Waits until the thread opening the page publishes it: the page's base pointer, or
  /// `UInt64.max` when it got no memory (release order, after the page is zeroed). The
  /// opener always publishes one or the other, so this waits as long as that takes (the
  /// opener may be descheduled, or in a slow mmap): a bounded spin used to give up and
  /// report a spurious out-of-memory. Returns true if the page is there.
  @usableFromInline
  func waitForPage(_ pageWord: AtomicWord) -> Bool {
    var spins = 0
    while true {
      let page = pageWord.load(.acquiring)
      if page != 0 { return page != UInt64.max }
      spins &+= 1
      if spins < 1 << 10 { cfaster_spin_pause() } else { sched_yield() }
    }
  }

  @usableFromInline
  func openPage(_ pageWord: AtomicWord) -> Bool {
    let byteCount = OverflowBucketAllocator.bucketsPerPage * HashBucket.sizeBytes
    guard let region = allocatePage(byteCount) else {
      pageWord.store(UInt64.max, .releasing)  // tells the waiters there is no page
      return false
    }
    regions.withLock { $0.append(region) }
    pageWord.store(UInt64(UInt(bitPattern: region.base)), .releasing)
    return true
  }

  /// The bucket at an overflow address returned by `allocate`.
  @inlinable
  func pointer(to overflowAddress: UInt64) -> UnsafeMutableRawPointer {
    OverflowBucketAllocator.pointer(to: overflowAddress, state: state)
  }

  /// The bucket at an overflow address, from the allocator's `state` memory alone (so
  /// the hot path needs no reference to the allocator object).
  @inlinable
  static func pointer(to overflowAddress: UInt64, state: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
    assert(overflowAddress != 0)
    let number = overflowAddress &- 1
    let pageIndex = Int(number >> UInt64(OverflowBucketAllocator.bucketsPerPageBits))
    let page = AtomicWord(state + (8 &+ pageIndex &* 8)).load(.acquiring)
    // Safety: the address came from a bucket's overflow word, published after `allocate`
    // returned it, so its page pointer is published (acquire pairs with the release).
    let base = UnsafeMutableRawPointer(bitPattern: UInt(page))!
    let slot = Int(number & UInt64(OverflowBucketAllocator.bucketsPerPage - 1))
    return base + (slot &* HashBucket.sizeBytes)
  }
}
