/// A device that holds nothing: writes succeed and are dropped, reads fail with `.ioError`; for
/// in-memory runs where the log never leaves memory.
///
/// Completions still run on a device thread (one), as the protocol promises; alignment is 512 and
/// misaligned I/O fails with `.invalidArgument`, as on the real devices, so a run on the null device
/// catches the same caller bugs.
///
/// Thread safety: every member may be called from any thread, concurrently.
public final class NullDevice: StorageDevice {
  public let name = "null"
  public let alignment = 512
  public let segmentSizeBytes: UInt64
  private let pool: WorkerPool?
  private let counters = DeviceCounters()

  /// A null device whose segments are `segmentSizeBytes` long (only I/Os spanning two are refused).
  public init(segmentSizeBytes: UInt64) {
    self.segmentSizeBytes = segmentSizeBytes
    // Without a thread, completions run on detached threads instead (still never inline).
    pool = try? WorkerPool(threadCount: 1, capacity: 1024)
  }

  /// A null device with 1 GiB segments.
  public convenience init() {
    self.init(segmentSizeBytes: 1 << 30)
  }

  deinit {
    close()
  }

  private func check(_ kind: IOKind, address: UnsafeRawPointer?, length: Int, offset: UInt64) -> DeviceError?
  {
    let alignment = UInt64(self.alignment)
    guard let address, length > 0, Int(bitPattern: address) % self.alignment == 0,
      UInt64(length) % alignment == 0,
      offset % alignment == 0, offset / segmentSizeBytes == (offset + UInt64(length) - 1) / segmentSizeBytes
    else {
      return DeviceError(
        .invalidArgument,
        message: "\(kind.verb) \(length) bytes at device offset \(offset) on the null device: buffer, offset "
          + "and length must be multiples of \(alignment) within one \(segmentSizeBytes)-byte segment")
    }
    return nil
  }

  private func complete(_ completion: @escaping IOCompletion, _ result: Result<Int, DeviceError>) {
    let accepted = pool?.submit { completion(result) } ?? false
    if !accepted {
      DeviceThread.completeDetached(completion, result)
    }
  }

  public func write(_ buffer: UnsafeRawBufferPointer, at offset: UInt64, completion: @escaping IOCompletion) {
    if let error = check(.write, address: buffer.baseAddress, length: buffer.count, offset: offset) {
      complete(completion, .failure(error))
      return
    }
    counters.recordWrite(bytes: buffer.count)
    complete(completion, .success(buffer.count))
  }

  public func read(
    into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64, completion: @escaping IOCompletion
  ) {
    let error =
      check(.read, address: buffer.baseAddress, length: buffer.count, offset: offset)
      ?? DeviceError(
        .ioError,
        message:
          "reading at device offset \(offset): null device holds no data (DeviceKind.null keeps the "
          + "log in memory only; use file or uring for larger-than-memory data)")
    complete(completion, .failure(error))
  }

  public func flush() throws(DeviceError) {
    counters.recordFlush()
  }

  public func truncate(before offset: UInt64) throws(DeviceError) {}

  public var statistics: DeviceStatistics { counters.snapshot }

  public func close() {
    pool?.close()
  }
}
