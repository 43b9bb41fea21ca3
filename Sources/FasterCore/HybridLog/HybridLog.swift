import CFasterShims
import FasterPlatform
import FasterStorage
import Logging

/// The hybrid log: one logical address space over a circular buffer of in-memory pages
/// and, below them, a storage device. It knows pages, markers and bytes, not records:
/// the key-value store, a FasterLog, the read cache and checkpoint snapshots each lay
/// their own records in it (8-byte aligned, never spanning a page, a zero first word
/// marking the unused end of a page).
///
/// Markers, all monotone, with
///
///     begin <= closedUntil <= head <= flushedUntil <= safeReadOnly <= readOnly <= tail
///
/// (in memory-only mode, head and flushedUntil stay at begin: nothing is ever evicted).
///
/// - [readOnly, tail): the mutable region; records are updated in place.
/// - [safeReadOnly, readOnly): the fuzzy region: some threads may not have seen the
///   read-only shift yet and may still update in place, so an RMW must not copy from here
///   (it refreshes its epoch and retries).
/// - [head, safeReadOnly): read-only in memory; updates copy the record to the tail.
///   Pages here are being flushed; `flushedUntil` says how far the device has them.
/// - [begin, head): on the device only; reads go to the device (`readRecord`).
///
/// Page life cycle: a page becomes read-only when the read-only marker passes it; once
/// every thread has seen that (an epoch action) its bytes are written to the device
/// (`HybridLog+Flush.swift`). Its frame is reused only after the page is flushed, the
/// head has passed it, and every thread has left the epoch that could still see it (a
/// second epoch action zeroes the frame and raises `closedUntil`:
/// `HybridLog+Eviction.swift`).
///
/// With no device (memory only), head never moves and a full buffer makes allocation
/// fail with `.outOfMemory`.
///
/// Thread safety: allocation and marker reads are lock-free; callers hold epoch
/// protection. Flush bookkeeping is under a control lock, off the hot path.
@usableFromInline
final class HybridLog: @unchecked Sendable {
  // @unchecked Sendable: shared state is raw memory accessed through atomic words (see
  // `LogBuffer`) or under `flushState`'s lock; the rest is immutable after init.
  @usableFromInline let buffer: LogBuffer
  let settings: HybridLogSettings
  let bufferPageCount: Int
  let mutablePageCount: Int
  let region: AlignedRegion
  let markers: UnsafeMutableRawPointer
  let epoch: LightEpoch
  let device: (any StorageDevice)?
  /// Slow-path events only (a failed flush); the owner's logger.
  let logger: Logger

  /// Flushes issued and not yet all complete, and the first device error.
  let flushState: ControlLock<FlushTracker>
  /// Serializes evictions (see `evict`).
  let evictionLock = ControlLock<Void>(())
  /// The markers as the last `checkInvariants` saw them, to check that they only grow.
  let lastCheckedMarkers = ControlLock<LogMarkers?>(nil)

  /// What `openPage` found.
  @frozen
  @usableFromInline
  enum PageOpening {
    /// The tail is past the full page (this thread or another moved it).
    case opened
    /// The next frame is not free yet (a flush or an eviction is in progress): refresh
    /// the epoch and try again.
    case retry
    /// No frame can ever be freed (memory only), or the address space is used up.
    case outOfMemory
    /// A flush failed: the log cannot evict, so it cannot grow.
    case deviceError
    /// The next page would be past the last page the tail word and addresses can hold.
    case outOfAddressSpace
  }

  /// Opens an empty log.
  ///
  /// - Throws: `FasterError.invalidConfiguration` for bad settings or a page size the
  ///   device cannot hold; `FasterError.outOfMemory` if the buffer cannot be allocated.
  init(
    settings: HybridLogSettings, epoch: LightEpoch, device: (any StorageDevice)?,
    logger: Logger = FasterLogging.disabled
  ) throws(FasterError) {
    try settings.validate()
    self.settings = settings
    self.logger = logger
    bufferPageCount = settings.bufferPageCount
    mutablePageCount = settings.mutablePageCount
    self.epoch = epoch
    self.device = device
    if let device,
      settings.pageSizeBytes % device.alignment != 0
        || UInt64(settings.pageSizeBytes) > device.segmentSizeBytes
    {
      throw .invalidConfiguration(
        "pageSizeBytes = \(settings.pageSizeBytes): must be a multiple of the device alignment (\(device.alignment)) and at most its segment size (DeviceOptions.segmentSizeBytes = \(device.segmentSizeBytes))"
      )
    }
    do {
      region = try PageAllocator.allocate(
        byteCount: settings.memoryBytes, alignment: Swift.min(settings.memoryBytes, 1 << 21),
        hugePages: settings.hugePages)
    } catch {
      throw FasterError.outOfMemory("log memory of \(settings.memoryBytes) bytes: \(error)")
    }
    // Two cache lines of markers, then one line per frame for its dirty flag.
    let markerBytes = LogBuffer.dirtyFlagsOffset + settings.bufferPageCount * LogBuffer.dirtyFlagStride
    markers = UnsafeMutableRawPointer.allocate(byteCount: markerBytes, alignment: 64)
    markers.initializeMemory(as: UInt8.self, repeating: 0, count: markerBytes)
    buffer = LogBuffer(
      pageSizeBits: settings.pageSizeBytes.trailingZeroBitCount, pageSizeBytes: settings.pageSizeBytes,
      bufferMask: UInt64(settings.memoryBytes - 1), base: region.base, markers: markers)
    let start = Address.firstValid.rawValue
    buffer.tailWord.store(start, .sequentiallyConsistent)  // page 0, offset 64
    for word in [
      buffer.beginWord, buffer.headWord, buffer.safeReadOnlyWord, buffer.readOnlyWord,
      buffer.flushedUntilWord, buffer.closedUntilWord,
    ] {
      word.store(start, .sequentiallyConsistent)
    }
    flushState = ControlLock(FlushTracker(start: start))
  }

  deinit {
    PageAllocator.deallocate(region)
    markers.deallocate()
  }

  var pageSizeBits: Int { buffer.pageSizeBits }
  var pageSizeBytes: Int { buffer.pageSizeBytes }
  var beginAddress: Address { buffer.beginAddress }
  var headAddress: Address { buffer.headAddress }
  var safeReadOnlyAddress: Address { buffer.safeReadOnlyAddress }
  var readOnlyAddress: Address { buffer.readOnlyAddress }
  var flushedUntilAddress: Address { buffer.flushedUntilAddress }
  var tailAddress: Address { buffer.tailAddress }
  func pointer(_ address: Address) -> UnsafeMutableRawPointer { buffer.pointer(address) }

  /// The first flush error, if any.
  var deviceError: DeviceError? { flushState.withLock { $0.error } }

  @inlinable
  func pageStart(_ page: UInt64) -> UInt64 { page << UInt64(buffer.pageSizeBits) }

  /// Reserves `size` bytes (a multiple of 8, at most a page) at the tail, opening pages
  /// as needed. For tests and single-threaded tools: it refreshes nobody's epoch, so it
  /// gives up on `.retry` after a while.
  func allocate(_ size: Int) -> Allocation {
    var retries = 0
    while true {
      switch buffer.tryAllocate(size) {
      case .allocated(let address): return .allocated(address)
      case .pageFull(let page):
        switch openPage(after: page) {
        case .opened: continue
        case .outOfMemory: return .outOfMemory
        case .deviceError: return .deviceError
        case .outOfAddressSpace: return .outOfAddressSpace
        case .retry:
          retries += 1
          if retries > 1_000_000 { return .outOfMemory }
          epoch.drainIfPending()
          cfaster_spin_pause()
        }
      }
    }
  }

  /// The result of `allocate`.
  enum Allocation {
    case allocated(Address)
    case outOfMemory
    case deviceError
    case outOfAddressSpace
  }

  // MARK: Pages

  /// Moves the tail from a full `page` to the start of the next one, when the next page's
  /// frame is free; otherwise starts what frees it (read-only shift, flush, head shift)
  /// and returns `.retry`.
  @usableFromInline
  func openPage(after page: UInt64) -> PageOpening {
    let nextPage = page &+ 1
    let pageSizeBits = UInt64(buffer.pageSizeBits)
    while true {
      let word = buffer.tailWord.load(.acquiring)
      if word >> 32 != page { return .opened }
      guard nextPage <= buffer.lastOpenablePage else { return .outOfAddressSpace }
      let closedPage = buffer.closedUntilWord.load(.acquiring) >> pageSizeBits
      if nextPage >= closedPage &+ UInt64(bufferPageCount) {
        return makeRoom(forPage: nextPage)
      }
      if buffer.tailWord.compareExchange(expected: word, desired: nextPage << 32) {
        pageOpened(nextPage)
        return .opened
      }
    }
  }

  /// Starts freeing the frame `page` needs: the page it held must be flushed, the head
  /// must pass it, and an epoch must go by.
  func makeRoom(forPage page: UInt64) -> PageOpening {
    guard device != nil else { return .outOfMemory }
    if deviceError != nil { return .deviceError }
    let neededHead = pageStart(page &+ 1 &- UInt64(bufferPageCount))
    if buffer.flushedUntilWord.load(.acquiring) >= neededHead {
      shiftHead(to: Address(neededHead))
    } else {
      shiftReadOnly(to: Address(neededHead))
    }
    return .retry
  }

  /// Keeps the read-only marker `mutablePageCount` pages behind the tail page, and the
  /// head as far ahead as flushing allows, so a free frame is usually ready.
  func pageOpened(_ page: UInt64) {
    if page + 1 > UInt64(mutablePageCount) {
      shiftReadOnly(to: Address(pageStart(page + 1 - UInt64(mutablePageCount))))
    }
    if device != nil && page + 2 > UInt64(bufferPageCount) {
      let wantedHead = pageStart(page + 2 - UInt64(bufferPageCount))
      let flushed = buffer.flushedUntilWord.load(.acquiring)
      shiftHead(to: Address(Swift.min(wantedHead, flushed & ~(UInt64(buffer.pageSizeBytes) - 1))))
    }
  }

  /// Raises the read-only marker to `address` (at most the tail). Once every thread has
  /// seen the new marker (an epoch later), the safe read-only marker follows and the
  /// newly read-only bytes are flushed to the device.
  func shiftReadOnly(to address: Address) {
    let target = Swift.min(address, buffer.tailAddress)
    guard buffer.readOnlyWord.raise(to: target.rawValue) else { return }
    epoch.bumpEpoch { [self] in
      // Every thread has now seen the new read-only marker: no in-place update below it.
      buffer.safeReadOnlyWord.raise(to: target.rawValue)
      // Memory only: nothing to write (head never moves without a device).
      if device != nil { flush(until: target) }
      checkInvariantsInDebugBuilds()
    }
  }

  /// Bytes of log memory backed by huge pages now.
  var hugePageBytes: Int { PageAllocator.hugePageBytes(in: region) }
}
