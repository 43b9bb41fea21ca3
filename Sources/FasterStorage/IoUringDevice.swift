/// A storage device on Linux io_uring (liburing): asynchronous `pread`/`pwrite`-equivalents with up
/// to `queueDepth` I/Os in flight, reaped by one completion thread per device.
///
/// Short transfers are resubmitted for the remainder; `cqe->res < 0` becomes a `DeviceError`
/// naming the segment file and offset. When `queueDepth` I/Os are in flight, a submitter waits for a
/// completion (a completion closure that submits never waits). `flush()` fdatasyncs, from the
/// caller's thread, every segment written since the last flush.
///
/// `init` throws the errno of `io_uring_queue_init` where io_uring is unavailable (EPERM under
/// container seccomp profiles or `kernel.io_uring_disabled`, ENOSYS on old kernels);
/// `Devices.open(.uring, ...)` turns that into a fallback to `FileDevice`.
///
/// Thread safety: every member may be called from any thread, concurrently, and from a completion
/// (`close()` there refuses new I/O and returns; the completion thread finishes the rest).
public final class IoUringDevice: StorageDevice {
  public let name = "uring"
  public var alignment: Int { files.alignment }
  public var segmentSizeBytes: UInt64 { files.segmentSizeBytes }
  /// The io_uring queue depth (submission queue entries) in use.
  public var queueDepth: Int { engine.depth }

  private let files: SegmentedFiles
  private let engine: IoUringEngine
  private let counters: DeviceCounters

  /// Opens a device over the segment files described by `options`.
  public convenience init(options: DeviceOptions) throws(DeviceError) {
    switch try Self.setUp(options: options) {
    case .ready(let files, let engine, let counters):
      self.init(files: files, engine: engine, counters: counters)
    case .ringUnavailable(let error): throw error
    }
  }

  private init(files: SegmentedFiles, engine: IoUringEngine, counters: DeviceCounters) {
    self.files = files
    self.engine = engine
    self.counters = counters
  }

  /// The outcome of setting up, keeping "io_uring is unavailable" apart from bad options or an
  /// unusable directory, so `Devices.open` can fall back only on the former.
  enum SetUp {
    case ready(SegmentedFiles, IoUringEngine, DeviceCounters)
    case ringUnavailable(DeviceError)
  }

  /// Checks the options and the directory (throwing), then tries to set up the ring.
  /// `simulatedRingFailure` (tests only) makes ring setup fail with that errno.
  static func setUp(options: DeviceOptions, simulatedRingFailure: Int32? = nil) throws(DeviceError) -> SetUp {
    let files = try SegmentedFiles(options: options)
    let counters = DeviceCounters()
    if let simulatedRingFailure {
      return .ringUnavailable(
        IoUringEngine.setupError(errorNumber: simulatedRingFailure, depth: options.queueDepth))
    }
    do {
      let engine = try IoUringEngine(depth: options.queueDepth, counters: counters)
      return .ready(files, engine, counters)
    } catch {
      return .ringUnavailable(error)
    }
  }

  static func open(setUp: SetUp) -> IoUringDevice? {
    guard case .ready(let files, let engine, let counters) = setUp else { return nil }
    return IoUringDevice(files: files, engine: engine, counters: counters)
  }

  deinit {
    close()
  }

  public func write(_ buffer: UnsafeRawBufferPointer, at offset: UInt64, completion: @escaping IOCompletion) {
    // Safety: the kernel only reads from a write buffer; the mutable pointer type is liburing's.
    let pointer = UnsafeMutableRawPointer(mutating: buffer.baseAddress)
    engine.submit(
      IORequest.make(
        .write, buffer: pointer, length: buffer.count, offset: offset, files: files, completion: completion))
  }

  public func read(
    into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64, completion: @escaping IOCompletion
  ) {
    engine.submit(
      IORequest.make(
        .read, buffer: buffer.baseAddress, length: buffer.count, offset: offset, files: files,
        completion: completion))
  }

  public func flush() throws(DeviceError) {
    try files.flush()
    counters.recordFlush()
  }

  public func truncate(before offset: UInt64) throws(DeviceError) {
    try files.truncate(before: offset)
  }

  public var statistics: DeviceStatistics { counters.snapshot }

  public func close() {
    engine.close()
    files.closeAll()
  }
}
