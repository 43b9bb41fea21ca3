import CFasterShims
import FasterPlatform
import FasterStorage

/// The hybrid log: one logical address space of records over a circular buffer of
/// in-memory pages and, below them, a storage device.
///
/// Markers, all monotone, with
///
///     begin <= closedUntil <= head <= flushedUntil <= safeReadOnly <= readOnly <= tail
///
/// (`flushedUntil` may briefly trail `head`'s bound only in memory-only mode, where both
/// stay at `begin`.)
///
/// - [readOnly, tail): the mutable region; records are updated in place.
/// - [safeReadOnly, readOnly): the fuzzy region: some threads may not have seen the
///   read-only shift yet and may still update in place, so an RMW must not copy from here
///   (it refreshes its epoch and retries).
/// - [head, safeReadOnly): read-only in memory; updates copy the record to the tail.
///   Pages here are being flushed; `flushedUntil` says how far the device has them.
/// - [begin, head): on the device only; reads go pending.
///
/// Page life cycle: a page becomes read-only when the read-only marker passes it; once
/// every thread has seen that (an epoch action) its bytes are written to the device. Its
/// frame is reused only after the page is flushed, the head has passed it, and every
/// thread has left the epoch that could still see it (a second epoch action zeroes the
/// frame and raises `closedUntil`).
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
  let bufferPageCount: Int
  let mutablePageCount: Int
  let region: AlignedRegion
  let markers: UnsafeMutableRawPointer
  let epoch: LightEpoch
  let device: (any StorageDevice)?

  /// Flushes issued and not yet all complete, and the first device error.
  struct FlushState {
    /// Everything below was handed to the device (or queued in `waiting`).
    var requestedUntil: UInt64
    /// Completed ranges above `flushedUntil`, not yet contiguous with it.
    var completed: [Range<UInt64>] = []
    var error: DeviceError?
    /// The last range requested, while its end is not sector-aligned and its write has
    /// not completed: the next range shares that sector, so it must not be written
    /// before this one completes.
    var sectorSharer: Range<UInt64>?
    /// Ranges whose write waits for the one before them (which shares their first
    /// sector) to complete, in address order.
    var waiting: [Range<UInt64>] = []
  }
  let flushState: ControlLock<FlushState>
  /// Consecutive-ish writes that made no progress (a sick device); see `write`.
  let zeroProgressWrites = ControlLock<Int>(0)
  /// Serializes evictions (see `evict`).
  let evictionLock = ControlLock<Void>(())

  /// What `openPage` found.
  @frozen
  @usableFromInline
  enum PageOpening {
    /// The tail is past the full page (this thread or another moved it).
    case opened
    /// The next frame is not free yet (a flush or an eviction is in progress): refresh
    /// the epoch and try again.
    case retry
    /// No frame can ever be freed (memory only).
    case outOfMemory
    /// A flush failed: the log cannot evict, so it cannot grow.
    case deviceError
    /// The next page would be past the last page the tail word and addresses can hold.
    case outOfAddressSpace
  }

  init(options: FasterKVOptions, epoch: LightEpoch, device: (any StorageDevice)?) throws(FasterError) {
    bufferPageCount = options.logMemoryBytes / options.pageSizeBytes
    mutablePageCount = Swift.max(1, Int(Double(bufferPageCount) * options.mutableFraction))
    self.epoch = epoch
    self.device = device
    if let device,
      options.pageSizeBytes % device.alignment != 0 || UInt64(options.pageSizeBytes) > device.segmentSizeBytes
    {
      throw .invalidConfiguration(
        "pageSizeBytes = \(options.pageSizeBytes): must be a multiple of the device alignment (\(device.alignment)) and at most its segment size (\(device.segmentSizeBytes))"
      )
    }
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
    for word in [
      buffer.beginWord, buffer.headWord, buffer.safeReadOnlyWord, buffer.readOnlyWord,
      buffer.flushedUntilWord,
      buffer.closedUntilWord,
    ] {
      word.store(start, .sequentiallyConsistent)
    }
    flushState = ControlLock(FlushState(requestedUntil: start))
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
    if flushState.withLock({ $0.error }) != nil { return .deviceError }
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
      if device == nil {
        // Memory only: nothing to write; the bytes are "flushed" to nowhere, which lets
        // nothing be evicted since head never moves without a device.
        return
      }
      flush(until: target)
    }
  }

  /// Raises the head to `address` (page-aligned, at most `flushedUntil`): reads below it
  /// go to the device from now on. An epoch later, when no thread can still be reading
  /// the frames, they are zeroed and become free.
  func shiftHead(to address: Address) {
    let pageMask = UInt64(buffer.pageSizeBytes) - 1
    let target = Swift.min(address.rawValue, buffer.flushedUntilWord.load(.acquiring)) & ~pageMask
    guard buffer.headWord.raise(to: target) else { return }
    epoch.bumpEpoch { [self] in
      evict(until: target)
    }
  }

  /// Zeroes the frames of the pages below `target` that are not yet closed, then raises
  /// `closedUntil`. Runs as an epoch action (no thread can see those frames).
  ///
  /// Each frame is zeroed *before* `closedUntil` passes it: the moment it does, another
  /// thread may open a new page in that frame and write records there (zeroing after
  /// the raise once wiped such records). The lock keeps concurrent evictions (epoch
  /// actions may run on several threads) from zeroing a frame that was closed and
  /// reopened in between.
  private func evict(until target: UInt64) {
    let pageSize = UInt64(buffer.pageSizeBytes)
    evictionLock.withLock { _ in
      var closed = buffer.closedUntilWord.load(.acquiring)
      while closed < target {
        let pageStart = closed & ~(pageSize - 1)
        let next = Swift.min(pageStart + pageSize, target)
        if next == pageStart + pageSize {
          // Safety: the head passed this page an epoch ago; no thread holds a pointer into
          // it, and no new page can use the frame until `closedUntil` passes it below.
          buffer.pointer(Address(pageStart)).initializeMemory(
            as: UInt8.self, repeating: 0, count: Int(pageSize))
        }
        buffer.closedUntilWord.store(next, .releasing)
        closed = next
      }
    }
  }

  // MARK: Flush

  /// Writes [requestedUntil, target) to the device, page by page, sector-aligned.
  /// `flushedUntil` advances as the writes complete, in address order.
  ///
  /// Two writes that share a sector (a flush that ended mid-sector, e.g. `flushLog` at an
  /// unaligned tail, and the next one) are never in flight together: devices may run
  /// them in either order, and the older copy of the sector landing last would put stale
  /// bytes on the device below `flushedUntil`. The later one waits in `waiting`.
  func flush(until target: Address) {
    guard let device else { return }
    let alignment = UInt64(device.alignment)
    let ready: [Range<UInt64>] = flushState.withLock { state in
      guard target.rawValue > state.requestedUntil else { return [] }
      var ready: [Range<UInt64>] = []
      var start = state.requestedUntil
      let pageSize = UInt64(buffer.pageSizeBytes)
      while start < target.rawValue {
        let pageEnd = (start & ~(pageSize - 1)) + pageSize
        let range = start..<Swift.min(pageEnd, target.rawValue)
        if start & (alignment - 1) != 0 && state.sectorSharer?.upperBound == start {
          state.waiting.append(range)
        } else {
          ready.append(range)
        }
        state.sectorSharer = range.upperBound & (alignment - 1) != 0 ? range : nil
        start = range.upperBound
      }
      state.requestedUntil = target.rawValue
      return ready
    }
    for range in ready { write(range, to: device) }
  }

  /// Writes `range` of the log, widened to whole sectors.
  private func write(_ range: Range<UInt64>, to device: any StorageDevice) {
    let alignment = UInt64(device.alignment)
    let alignedStart = range.lowerBound & ~(alignment - 1)
    let alignedEnd = (range.upperBound + alignment - 1) & ~(alignment - 1)
    write(alignedStart..<alignedEnd, completing: range, to: device)
  }

  /// Writes the frame bytes of `bytes` (sector-aligned) to the device; a short write is
  /// continued with the rest. `range` is what counts as flushed once all of it is written.
  private func write(_ bytes: Range<UInt64>, completing range: Range<UInt64>, to device: any StorageDevice) {
    // Safety: the frame holds this page (it cannot be evicted before `flushedUntil`
    // passes it, which needs this write to complete); the bytes below `range` end are
    // read-only. Bytes past it in the last sector may still change: they are rewritten
    // by a later flush before they count as flushed.
    let buffer = UnsafeRawBufferPointer(start: buffer.pointer(Address(bytes.lowerBound)), count: bytes.count)
    device.write(buffer, at: bytes.lowerBound) { [self] result in
      if case .success(let written) = result, written < bytes.count {
        // A short write: continue with the rest (a device that keeps making no progress
        // is a failure, not a loop).
        guard written > 0 || zeroProgressWrites.add() < 64 else {
          flushCompleted(
            range,
            result: .failure(
              DeviceError(
                .shortTransfer,
                message:
                  "the device keeps writing 0 of \(bytes.count) bytes at offset \(bytes.lowerBound); check its health"
              )))
          return
        }
        write((bytes.lowerBound + UInt64(written))..<bytes.upperBound, completing: range, to: device)
        return
      }
      flushCompleted(range, result: result)
    }
  }

  private func flushCompleted(_ range: Range<UInt64>, result: Result<Int, DeviceError>) {
    var next: Range<UInt64>? = nil
    let newFlushedUntil: UInt64? = flushState.withLock { state in
      if case .failure(let error) = result {
        if state.error == nil { state.error = error }
        return nil
      }
      if state.sectorSharer == range { state.sectorSharer = nil }
      if let first = state.waiting.first, first.lowerBound == range.upperBound {
        next = state.waiting.removeFirst()
      }
      state.completed.append(range)
      state.completed.sort { $0.lowerBound < $1.lowerBound }
      var flushed = buffer.flushedUntilWord.load(.acquiring)
      while let first = state.completed.first, first.lowerBound <= flushed {
        flushed = Swift.max(flushed, first.upperBound)
        state.completed.removeFirst()
      }
      return flushed
    }
    if let newFlushedUntil { buffer.flushedUntilWord.raise(to: newFlushedUntil) }
    if let next, let device { write(next, to: device) }
  }

  /// Flushes everything below the tail and waits until the device has it (and, with
  /// `durable`, until it is on stable storage: `StorageDevice.flush`). For tests,
  /// checkpoints and tooling; blocks the caller.
  func flushAndWait(durable: Bool) throws(DeviceError) {
    guard let device else { return }
    let target = buffer.tailAddress
    shiftReadOnly(to: target)
    while buffer.flushedUntilWord.load(.acquiring) < target.rawValue {
      if let error = deviceError { throw error }
      epoch.drainIfPending()
      cfaster_spin_pause()
    }
    if durable { try device.flush() }
  }

  /// Bytes of log memory backed by huge pages now.
  var hugePageBytes: Int { PageAllocator.hugePageBytes(in: region) }
}
