import CFasterShims
import FasterStorage

/// Writing read-only pages to the device. `FlushTracker` keeps the bookkeeping; this
/// file issues the writes and publishes `flushedUntil`.
extension HybridLog {
  /// A write that made no progress is retried this many times in a row before it counts
  /// as a device failure.
  static var zeroProgressRetryLimit: Int { 64 }

  /// Writes [requestedUntil, target) to the device, page by page, sector-aligned.
  /// `flushedUntil` advances as the writes complete, in address order; a write that
  /// shares its first sector with a write still in flight waits for it (`FlushTracker`).
  func flush(until target: Address) {
    guard let device else { return }
    let ready = flushState.withLock { tracker in
      tracker.request(
        until: target.rawValue, pageSizeBytes: buffer.pageSizeBytes, alignment: device.alignment)
    }
    for range in ready { write(range, to: device) }
  }

  /// Writes `range` of the log, widened to whole sectors.
  private func write(_ range: Range<UInt64>, to device: any StorageDevice) {
    let alignment = UInt64(device.alignment)
    let alignedStart = range.lowerBound & ~(alignment - 1)
    let alignedEnd = (range.upperBound + alignment - 1) & ~(alignment - 1)
    write(alignedStart..<alignedEnd, completing: range, zeroProgressRetries: 0, to: device)
  }

  /// Writes the frame bytes of `bytes` (sector-aligned) to the device; a short write is
  /// continued with the rest. `range` is what counts as flushed once all of it is written.
  /// `zeroProgressRetries` counts the consecutive writes of this range that wrote nothing:
  /// a device that is only sometimes short keeps going, one that never progresses fails.
  private func write(
    _ bytes: Range<UInt64>, completing range: Range<UInt64>, zeroProgressRetries: Int,
    to device: any StorageDevice
  ) {
    // Safety: the frame holds this page (it cannot be evicted before `flushedUntil`
    // passes it, which needs this write to complete); the bytes below `range` end are
    // read-only. Bytes past it in the last sector may still change: they are rewritten
    // by a later flush before they count as flushed.
    let frame = UnsafeRawBufferPointer(start: buffer.pointer(Address(bytes.lowerBound)), count: bytes.count)
    device.write(frame, at: bytes.lowerBound) { [self] result in
      guard case .success(let written) = result, written < bytes.count else {
        flushCompleted(range, result: result)
        return
      }
      let retries = written == 0 ? zeroProgressRetries + 1 : 0
      guard retries <= Self.zeroProgressRetryLimit else {
        let message =
          "the device wrote 0 of \(bytes.count) bytes at log offset \(bytes.lowerBound) \(retries) times in a row; check its health"
        flushCompleted(range, result: .failure(DeviceError(.shortTransfer, message: message)))
        return
      }
      write(
        (bytes.lowerBound + UInt64(written))..<bytes.upperBound, completing: range,
        zeroProgressRetries: retries,
        to: device)
    }
  }

  private func flushCompleted(_ range: Range<UInt64>, result: Result<Int, DeviceError>) {
    var firstFailure: DeviceError? = nil
    let released: Range<UInt64>? = flushState.withLock { tracker in
      if case .failure(let error) = result {
        if tracker.error == nil { firstFailure = error }
        tracker.fail(error)
        return nil
      }
      let released = tracker.complete(range)
      // Published under the lock: a completion that publishes after releasing it could
      // be overtaken by a later one and leave the marker below completed writes.
      buffer.flushedUntilWord.raise(to: tracker.flushedUntil)
      return released
    }
    if let firstFailure {
      // Logged once, outside the lock: the log stops growing past its memory from here on.
      logger.error(
        "faster: log flush failed at log offset \(range.lowerBound); the log can no longer evict pages: \(firstFailure.message)",
        metadata: ["error.kind": "\(firstFailure.kind)", "log.flush.range": "\(range)"])
    }
    if let released, let device { write(released, to: device) }
  }

  /// Flushes everything below the tail and waits until the device has it (and, with
  /// `durable`, until it is on stable storage: `StorageDevice.flush`). For tests,
  /// checkpoints and tooling; blocks the caller, which must not hold epoch protection.
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
}
