/// A storage device on `pread`/`pwrite`, run by a small pool of I/O threads (`ioThreads`) fed by a
/// queue bounded at `queueDepth`: the fallback where io_uring is unavailable.
///
/// Each I/O runs to completion on one pool thread (EINTR/EAGAIN and short transfers retried for the
/// remainder), and its completion runs on that same thread. A submitter waits while the queue is full
/// (a completion closure that submits never waits). `flush()` fdatasyncs, from the caller's thread,
/// every segment written since the last flush.
///
/// Thread safety: every member may be called from any thread, concurrently, and from a completion
/// (`close()` there waits for the other I/O threads only).
public final class FileDevice: StorageDevice {
  public let name = "file"
  public var alignment: Int { files.alignment }
  public var segmentSizeBytes: UInt64 { files.segmentSizeBytes }

  private let files: SegmentedFiles
  private let pool: WorkerPool
  private let counters = DeviceCounters()

  /// Opens a device over the segment files described by `options` and starts its I/O threads.
  public init(options: DeviceOptions) throws(DeviceError) {
    files = try SegmentedFiles(options: options)
    pool = try WorkerPool(threadCount: options.ioThreads, capacity: options.queueDepth)
  }

  deinit {
    close()
  }

  public func write(_ buffer: UnsafeRawBufferPointer, at offset: UInt64, completion: @escaping IOCompletion) {
    // Safety: pwrite only reads through the pointer; the mutable type is shared with reads.
    let pointer = UnsafeMutableRawPointer(mutating: buffer.baseAddress)
    run(
      IORequest.make(
        .write, buffer: pointer, length: buffer.count, offset: offset, files: files, completion: completion))
  }

  public func read(
    into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64, completion: @escaping IOCompletion
  ) {
    run(
      IORequest.make(
        .read, buffer: buffer.baseAddress, length: buffer.count, offset: offset, files: files,
        completion: completion))
  }

  private func run(_ request: IORequest) {
    let counters = self.counters
    let accepted = pool.submit {
      let result: Result<Int, DeviceError>
      if let error = request.presetError {
        result = .failure(error)
      } else {
        result = request.file!.transfer(
          request.kind, buffer: request.buffer!, length: request.length, fileOffset: request.fileOffset)
      }
      counters.record(request.kind, result)
      request.completion(result)
    }
    if !accepted {
      DeviceThread.completeDetached(
        request.completion,
        .failure(
          DeviceError(
            .closed,
            message: "\(request.kind.verb) at device offset \(request.deviceOffset): the device is closed")))
    }
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
    pool.close()
    files.closeAll()
  }
}
