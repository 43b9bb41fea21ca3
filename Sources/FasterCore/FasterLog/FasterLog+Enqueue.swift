import CFasterShims

#if canImport(Glibc)
  import Glibc
#endif

/// Enqueueing: reserving room at the tail with one fetch-add and writing entries there.
///
/// The enqueuing thread holds epoch protection from the reservation until the last byte
/// is written, so the flush of a commit (an epoch action after the read-only shift) never
/// sees a half-written entry below its target. No lock, no allocation per entry: an
/// epoch-table entry is claimed with a compare-and-swap and released after the write.
extension FasterLog {
  /// Appends `payload` as one entry and returns its address; waits (briefly, while pages
  /// are flushed and freed) when the in-memory buffer is full.
  ///
  /// - Throws: `.entryTooLarge`, `.device` (the log cannot flush, so it cannot grow),
  ///   `.outOfMemory` (the address space is used up), `.closed`.
  /// - Thread safety: any thread, concurrently with everything else.
  @discardableResult
  public func enqueue(_ payload: UnsafeRawBufferPointer) throws(FasterLogError) -> Address {
    let size = try storedSize(payloadLength: payload.count)
    guard let address = try reserve(size, waiting: true, writing: payload) else {
      preconditionFailure("a waiting reservation returned none")
    }
    return address
  }

  /// Appends `payload` as one entry and returns its address (see `enqueue(_:)` for raw bytes).
  @discardableResult
  public func enqueue(_ payload: [UInt8]) throws(FasterLogError) -> Address {
    try payload.withUnsafeBytes { bytes in Result { () throws(FasterLogError) in try enqueue(bytes) } }.get()
  }

  /// Appends `payload` unless the in-memory buffer is full now: returns nil then (the log
  /// has started flushing to make room; try again later).
  ///
  /// - Throws: as `enqueue`.
  public func tryEnqueue(_ payload: UnsafeRawBufferPointer) throws(FasterLogError) -> Address? {
    let size = try storedSize(payloadLength: payload.count)
    return try reserve(size, waiting: false, writing: payload)
  }

  /// `tryEnqueue` for an array.
  public func tryEnqueue(_ payload: [UInt8]) throws(FasterLogError) -> Address? {
    try payload.withUnsafeBytes { bytes in Result { () throws(FasterLogError) in try tryEnqueue(bytes) } }
      .get()
  }

  /// Appends `entries` as a contiguous group (one reservation: no other entry lands
  /// between them) and returns the first one's address; entry `i + 1` follows entry `i`
  /// at `LogEntryFormat.storedSize(ofPayloadLength:)` bytes. The group must fit in a page.
  ///
  /// - Throws: `.entryTooLarge` when the group is larger than a page holds; as `enqueue`.
  @discardableResult
  public func enqueue(batch entries: [[UInt8]]) throws(FasterLogError) -> Address {
    var total = 0
    for entry in entries { total += LogEntryFormat.storedSize(ofPayloadLength: entry.count) }
    guard !entries.isEmpty else { return tailAddress }
    let size = try storedSize(payloadLength: total - LogEntryFormat.headerSizeBytes)
    let address = try reserve(size, waiting: true) { address, destination in
      var offset = 0
      for entry in entries {
        entry.withUnsafeBytes { bytes in
          LogEntryFormat.write(bytes, at: destination + offset, address: address + UInt64(offset))
        }
        offset += LogEntryFormat.storedSize(ofPayloadLength: entry.count)
      }
    }
    return address!
  }

  /// Appends `payload` and returns once a commit made it durable (starting one; concurrent
  /// callers share it: group commit).
  @discardableResult
  public func enqueueAndWaitForCommit(_ payload: [UInt8]) throws(FasterLogError) -> Address {
    let address = try enqueue(payload)
    try waitForCommit(
      target: address.rawValue + UInt64(LogEntryFormat.storedSize(ofPayloadLength: payload.count)),
      requestingCommit: true)
    return address
  }

  /// Appends `payload` and resumes once a commit made it durable.
  @discardableResult
  public func enqueueAndWaitForCommit(_ payload: [UInt8]) async throws(FasterLogError) -> Address {
    let address = try enqueue(payload)
    let target = address.rawValue + UInt64(LogEntryFormat.storedSize(ofPayloadLength: payload.count))
    let result = await withCheckedContinuation { continuation in
      register(CommitWaiter(target: target, requestsCommit: true) { continuation.resume(returning: $0) })
    }
    try result.get()
    return address
  }

  // MARK: Reservation

  /// The stored size of an entry (or group) with `payloadLength` bytes, checked against
  /// the page.
  @inline(__always)
  func storedSize(payloadLength: Int) throws(FasterLogError) -> Int {
    guard payloadLength >= 0, payloadLength <= maximumPayloadLength else {
      throw .entryTooLarge(length: payloadLength, maximum: maximumPayloadLength)
    }
    return LogEntryFormat.storedSize(ofPayloadLength: payloadLength)
  }

  /// `reserve` writing one entry.
  @inline(__always)
  private func reserve(_ size: Int, waiting: Bool, writing payload: UnsafeRawBufferPointer)
    throws(FasterLogError)
    -> Address?
  {
    try reserve(size, waiting: waiting) { address, destination in
      LogEntryFormat.write(payload, at: destination, address: address)
    }
  }

  /// Reserves `size` bytes at the tail under epoch protection and calls `write` with the
  /// address and the memory; nil when not `waiting` and the buffer is full.
  @inline(__always)
  func reserve(
    _ size: Int, waiting: Bool, write: (_ address: UInt64, _ destination: UnsafeMutableRawPointer) -> Void
  ) throws(FasterLogError) -> Address? {
    let flags = flagsWord.load(.acquiring)
    if flags != 0 { throw unavailability(flags) }
    let slot = acquireEpochSlot()
    epoch.protect(slot)
    defer { epoch.releaseSlot(slot) }
    var rounds = 0
    while true {
      switch hybridLog.buffer.tryAllocate(size) {
      case .allocated(let address):
        // Safety: [address, address + size) was reserved by this thread's fetch-add, lies
        // in one page of the buffer, and its frame cannot be evicted while this thread is
        // protected (eviction waits for the epoch after the head shift).
        write(address.rawValue, hybridLog.buffer.pointer(address))
        let end = address.rawValue &+ UInt64(size)
        if commitEveryBytes != 0 {
          let last = bytesTriggerWord.load(.relaxed)
          if end &- last >= commitEveryBytes && bytesTriggerWord.compareExchange(expected: last, desired: end)
          {
            triggerCommit()
          }
        }
        return address
      case .pageFull(let page):
        if commitsOnPageFull && pageTriggerWord.raise(to: page &+ 1) { triggerCommit() }
        switch hybridLog.openPage(after: page) {
        case .opened: continue
        case .outOfMemory:
          throw .outOfMemory("the log memory is full and it has no device to evict to")
        case .outOfAddressSpace:
          throw .outOfMemory("the log's address space is used up (the last page the tail can open)")
        case .deviceError:
          throw .device(hybridLog.deviceError ?? .init(.ioError, message: "a flush failed"))
        case .retry:
          guard waiting else { return nil }
          if flagsWord.load(.acquiring) != 0 { throw unavailability(flagsWord.load(.acquiring)) }
          // Let the flush and eviction epoch actions run (they wait for this thread too).
          epoch.refresh(slot)
          rounds += 1
          if rounds < 64 { cfaster_spin_pause() } else { sched_yield() }
        }
      }
    }
  }

  /// Why the log takes no entries, from its flags.
  func unavailability(_ flags: UInt64) -> FasterLogError {
    if flags & 1 != 0 { return .closed }
    return commitState.withLock { state, _ in state.pointee.failure } ?? .closed
  }
}
