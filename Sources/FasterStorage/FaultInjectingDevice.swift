import FasterPlatform
import Logging

#if canImport(Glibc)
  import Glibc
#endif

/// Wraps another device and injects faults, deterministically from a seed: I/O errors of a chosen
/// kind, short transfers, delayed and reordered completions, and crashes that lose or tear unflushed
/// writes. First-class code: the disk tier's tests run the store on it.
///
/// Durability model: the inner device holds exactly the durable state. A write is acknowledged after
/// its bytes are copied into an in-memory list of unflushed writes (the "disk cache"); reads see
/// those writes over the inner device's content; `flush()` writes them to the inner device in
/// acknowledgement order and flushes it. `simulateCrash(tearingLastWriteAt:)` drops the list, so the
/// files revert to the last flushed state, except an optional torn prefix of the last acknowledged
/// write, which reaches the inner device (and is flushed) as a torn sector write would. An orderly
/// `close()` hands unflushed writes to the inner device unsynced, like an OS page cache.
///
/// Faults:
/// - `failNext(kind, reads:writes:count:)`: the next `count` matching I/Os fail with `kind` (the
///   errno a real device would give: ENOSPC, EACCES, ENOENT, EIO) and transfer nothing.
/// - `shortTransferProbability`: a successful I/O reports fewer bytes than asked (a multiple of the
///   alignment, possibly 0); for writes only that prefix is kept. Real devices never do this (they
///   retry), so this exercises the callers' byte-count checks.
/// - `delayCompletionsMilliseconds` and `reorderCompletions`: completions run on this device's own
///   thread after a random delay, released in random order when reordering.
///
/// Every random choice is drawn, under a lock, in submission order from a generator seeded by
/// `seed`, so a single-threaded run replays exactly.
///
/// Thread safety: every member may be called from any thread; `flush()`, `simulateCrash` and
/// `close()` block and must not be called from a completion.
public final class FaultInjectingDevice: StorageDevice, @unchecked Sendable {
  // @unchecked Sendable: every mutable field is guarded by `lock`; `flushLock` serializes flushes.
  public let name: String
  public var alignment: Int { inner.alignment }
  public var segmentSizeBytes: UInt64 { inner.segmentSizeBytes }
  /// The seed every fault decision derives from.
  public let seed: UInt64
  /// The wrapped device, which holds the durable state.
  public let inner: any StorageDevice

  private struct PlannedFailure {
    var kind: DeviceError.Kind
    var remaining: Int
  }

  private let lock = PThreadLock()
  private let flushLock = PThreadLock()
  private let scheduler: CompletionScheduler?
  private let counters = DeviceCounters()
  private var random: DeterministicRandom
  private var readFailure: PlannedFailure?
  private var writeFailure: PlannedFailure?
  private var shortProbability = 0.0
  private var delayRange = 0...0
  private var unflushed: [UnflushedWrite] = []
  private var truncationPoint: UInt64 = 0
  private var crashed = false
  private var closed = false
  private var durableByteCount: UInt64 = 0

  /// Where the device's rare notices go (a torn prefix that could not be written).
  private let logger: Logger

  /// Wraps `inner`; no fault is armed until configured.
  public init(wrapping inner: any StorageDevice, seed: UInt64, logger: Logger = FasterLogging.disabled) {
    self.inner = inner
    self.logger = logger
    self.seed = seed
    name = "faulty(\(inner.name))"
    random = DeterministicRandom(seed: seed)
    // Without a thread of its own, completions go to detached threads (still never inline).
    scheduler = try? CompletionScheduler(seed: seed)
  }

  deinit {
    close()
  }

  // MARK: Configuration

  /// Makes the next `count` reads and/or writes fail with `kind`, transferring nothing.
  public func failNext(_ kind: DeviceError.Kind, reads: Bool, writes: Bool, count: Int) {
    precondition(count >= 0, "failNext count must not be negative")
    lock.withLock {
      if reads { readFailure = PlannedFailure(kind: kind, remaining: count) }
      if writes { writeFailure = PlannedFailure(kind: kind, remaining: count) }
    }
  }

  /// The chance, in [0, 1], that a successful I/O reports (and for a write keeps) fewer bytes.
  public var shortTransferProbability: Double {
    get { lock.withLock { shortProbability } }
    set {
      precondition((0...1).contains(newValue), "shortTransferProbability must be in 0...1")
      lock.withLock { shortProbability = newValue }
    }
  }

  /// Each completion waits a random whole number of milliseconds from this range (0...0: none).
  public var delayCompletionsMilliseconds: ClosedRange<Int> {
    get { lock.withLock { delayRange } }
    set {
      precondition(newValue.lowerBound >= 0, "delays must not be negative")
      lock.withLock { delayRange = newValue }
    }
  }

  /// Releases ready completions in random order (holding a lone one up to 2 ms for company).
  public var reorderCompletions: Bool {
    get { scheduler?.reorder ?? false }
    set { scheduler?.reorder = newValue }
  }

  /// Bytes made durable by `flush()` (and torn prefixes) over this device's lifetime.
  public var durableBytes: UInt64 { lock.withLock { durableByteCount } }

  /// Writes acknowledged but not yet made durable.
  public var unflushedWriteCount: Int { lock.withLock { unflushed.count } }

  /// Whether `simulateCrash` ran and `reopen()` has not.
  public var isCrashed: Bool { lock.withLock { crashed } }

  public var statistics: DeviceStatistics { counters.snapshot }

  // MARK: I/O

  public func write(_ buffer: UnsafeRawBufferPointer, at offset: UInt64, completion: @escaping IOCompletion) {
    let (result, delay): (Result<Int, DeviceError>, UInt64) = lock.withLock {
      if let refused = refusal(.write, address: buffer.baseAddress, length: buffer.count, offset: offset) {
        return (.failure(refused), 0)
      }
      let delay = drawDelay()
      let kept = drawTransferLength(buffer.count)
      // The bytes are copied now: the "disk cache" holds them from the acknowledgement on.
      unflushed.append(UnflushedWrite(offset: offset, bytes: Array(buffer[0..<kept])))
      return (.success(kept), delay)
    }
    deliver(.write, completion, result, delayNanoseconds: delay)
  }

  public func read(
    into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64, completion: @escaping IOCompletion
  ) {
    enum Plan {
      case done(Result<Int, DeviceError>)
      case fromCache(reported: Int)
      case fromInner(overlays: [UnflushedWrite], reported: Int)
    }
    let (plan, delay): (Plan, UInt64) = lock.withLock {
      if let refused = refusal(.read, address: buffer.baseAddress, length: buffer.count, offset: offset) {
        return (.done(.failure(refused)), 0)
      }
      let delay = drawDelay()
      let reported = drawTransferLength(buffer.count)
      let end = offset + UInt64(buffer.count)
      let overlays = unflushed.filter { $0.offset < end && $0.end > offset }
      if UnflushedWrite.cover(overlays, offset: offset, length: buffer.count) {
        for write in overlays { write.overlay(onto: buffer, at: offset) }
        return (.fromCache(reported: reported), delay)
      }
      return (.fromInner(overlays: overlays, reported: reported), delay)
    }
    switch plan {
    case .done(let result):
      deliver(.read, completion, result, delayNanoseconds: delay)
    case .fromCache(let reported):
      deliver(.read, completion, .success(reported), delayNanoseconds: delay)
    case .fromInner(let overlays, let reported):
      // Safety: the caller keeps `buffer` alive until our completion runs, which is after this one.
      nonisolated(unsafe) let target = buffer
      inner.read(into: buffer, at: offset) { [self] result in
        switch result {
        case .success:
          // Newer, unflushed bytes win over the durable ones, in acknowledgement order.
          for write in overlays { write.overlay(onto: target, at: offset) }
          deliver(.read, completion, .success(reported), delayNanoseconds: delay)
        case .failure:
          deliver(.read, completion, result, delayNanoseconds: delay)
        }
      }
    }
  }

  /// Why an I/O is refused before it starts: crashed or closed, an armed failure, bad alignment, a
  /// truncated range. Consumes one armed failure if it applies. Requires `lock`.
  private func refusal(_ kind: IOKind, address: UnsafeRawPointer?, length: Int, offset: UInt64)
    -> DeviceError?
  {
    let at = "\(kind.verb) \(length) bytes at device offset \(offset) on \(name)"
    if crashed || closed {
      return DeviceError(
        .closed,
        message: "\(at): the device is \(crashed ? "crashed (simulated); reopen() it" : "closed")")
    }
    if let planned = kind == .read ? readFailure : writeFailure, planned.remaining > 0 {
      let remaining = planned.remaining - 1
      switch kind {
      case .read: readFailure?.remaining = remaining
      case .write: writeFailure?.remaining = remaining
      }
      return Self.injectedError(planned.kind, at: at, seed: seed)
    }
    let alignment = UInt64(self.alignment)
    guard let address, length > 0, UInt64(UInt(bitPattern: address)) % alignment == 0,
      UInt64(length) % alignment == 0, offset % alignment == 0,
      offset / segmentSizeBytes == (offset + UInt64(length) - 1) / segmentSizeBytes
    else {
      return DeviceError(
        .invalidArgument,
        message: "\(at): buffer address, offset and length must be multiples of \(alignment), "
          + "within one \(segmentSizeBytes)-byte segment")
    }
    if offset < truncationPoint {
      return DeviceError(
        .fileMissing, message: "\(at): below the truncation point \(truncationPoint) (segment deleted)")
    }
    return nil
  }

  /// The error an injected fault of `kind` produces, with the errno a real device would report.
  static func injectedError(_ kind: DeviceError.Kind, at: String, seed: UInt64) -> DeviceError {
    let errorNumber: Int32?
    switch kind {
    case .diskFull: errorNumber = ENOSPC
    case .permissionDenied: errorNumber = EACCES
    case .fileMissing: errorNumber = ENOENT
    case .ioError: errorNumber = EIO
    case .shortTransfer, .corruptData, .injected, .closed, .invalidArgument: errorNumber = nil
    }
    let cause = errorNumber.map { " [\(DeviceError.describe(errorNumber: $0))]" } ?? ""
    return DeviceError(
      kind, errorNumber: errorNumber,
      message: "\(at): injected \(kind) fault\(cause) (FaultInjectingDevice seed \(seed))")
  }

  /// A completion delay drawn from `delayRange`. Requires `lock`.
  private func drawDelay() -> UInt64 {
    guard delayRange.upperBound > 0 else { return 0 }
    return UInt64(Int.random(in: delayRange, using: &random)) * 1_000_000
  }

  /// `length`, or with `shortProbability` a smaller multiple of the alignment. Requires `lock`.
  private func drawTransferLength(_ length: Int) -> Int {
    guard shortProbability > 0, Double.random(in: 0..<1, using: &random) < shortProbability else {
      return length
    }
    let blocks = length / alignment
    return Int.random(in: 0..<blocks, using: &random) * alignment
  }

  private func deliver(
    _ kind: IOKind, _ completion: @escaping IOCompletion, _ result: Result<Int, DeviceError>,
    delayNanoseconds: UInt64
  ) {
    let counters = self.counters
    let counted: IOCompletion = { result in
      counters.record(kind, result)
      completion(result)
    }
    if scheduler?.schedule(counted, result, delayNanoseconds: delayNanoseconds) != true {
      DeviceThread.completeDetached(counted, result)
    }
  }

  // MARK: Durability

  /// Writes every acknowledged write to the inner device, in order, then flushes it.
  public func flush() throws(DeviceError) {
    flushLock.lock()
    defer { flushLock.unlock() }
    let pending: [UnflushedWrite] = try lock.withLock { () throws(DeviceError) in
      if crashed || closed {
        throw DeviceError(
          .closed, message: "flush on \(name): the device is \(crashed ? "crashed" : "closed")")
      }
      return unflushed
    }
    for write in pending {
      try writeToInner(write.bytes[...], at: write.offset)
    }
    try inner.flush()
    lock.withLock {
      // Writes acknowledged while flushing stay queued for the next flush.
      unflushed.removeFirst(min(pending.count, unflushed.count))
      durableByteCount += pending.reduce(0) { $0 + UInt64($1.bytes.count) }
    }
    counters.recordFlush()
  }

  /// Models a crash (power loss): every unflushed write is lost, except, when `tearingLastWriteAt`
  /// is given, the first that many bytes of the last acknowledged unflushed write, which become
  /// durable (a torn write). The device then refuses I/O (`.closed`) until `reopen()`.
  ///
  /// - Precondition: `tearingLastWriteAt` is a multiple of `alignment` (disks tear at sector
  ///   granularity) and not larger than the last write.
  public func simulateCrash(tearingLastWriteAt tearOffset: Int?) {
    flushLock.lock()
    defer { flushLock.unlock() }
    let torn: UnflushedWrite? = lock.withLock {
      crashed = true
      let last = unflushed.last
      unflushed.removeAll()
      guard let tearOffset, let last else { return nil }
      precondition(
        tearOffset >= 0 && tearOffset % alignment == 0 && tearOffset <= last.bytes.count,
        "tearingLastWriteAt \(tearOffset) must be a multiple of \(alignment) within the last write (\(last.bytes.count) bytes)"
      )
      return UnflushedWrite(offset: last.offset, bytes: Array(last.bytes[0..<tearOffset]))
    }
    guard let torn, !torn.bytes.isEmpty else { return }
    do {
      try writeToInner(torn.bytes[...], at: torn.offset)
      try inner.flush()
      lock.withLock { durableByteCount += UInt64(torn.bytes.count) }
    } catch {
      // The torn prefix is best effort by nature: a crash may also leave nothing of the write.
      logger.warning("faster: FaultInjectingDevice could not write the torn prefix: \(error)")
    }
  }

  /// Accepts I/O again after `simulateCrash`, as a process restarted on the same disk would.
  public func reopen() {
    lock.withLock { crashed = false }
  }

  /// Deletes the segments below `offset` on the inner device and drops unflushed writes there.
  public func truncate(before offset: UInt64) throws(DeviceError) {
    let segmentStart = offset / segmentSizeBytes * segmentSizeBytes
    lock.withLock {
      truncationPoint = max(truncationPoint, segmentStart)
      unflushed.removeAll { $0.end <= truncationPoint }
    }
    try inner.truncate(before: offset)
  }

  /// Hands unflushed writes to the inner device (unsynced), delivers pending completions, and
  /// closes the inner device. Idempotent.
  public func close() {
    flushLock.lock()
    let pending: [UnflushedWrite] = lock.withLock {
      guard !closed else { return [] }
      closed = true
      defer { unflushed.removeAll() }
      return crashed ? [] : unflushed
    }
    for write in pending {
      try? writeToInner(write.bytes[...], at: write.offset)
    }
    flushLock.unlock()
    scheduler?.close()
    inner.close()
  }

  /// Writes `bytes` to the inner device at `offset` and waits for the completion.
  private func writeToInner(_ bytes: ArraySlice<UInt8>, at offset: UInt64) throws(DeviceError) {
    guard !bytes.isEmpty else { return }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: max(alignment, 16))
    defer { buffer.deallocate() }
    bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
    let waiter = CompletionWaiter()
    inner.write(UnsafeRawBufferPointer(buffer), at: offset) { waiter.finish($0) }
    switch waiter.wait() {
    case .success(let count) where count == bytes.count: return
    case .success(let count):
      throw DeviceError(
        .shortTransfer,
        message:
          "writing \(bytes.count) bytes at device offset \(offset) on \(inner.name): only \(count) written")
    case .failure(let error): throw error
    }
  }
}
