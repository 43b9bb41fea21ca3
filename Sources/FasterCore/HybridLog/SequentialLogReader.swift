import Dispatch
import FasterStorage

/// Reads a log range that is wholly on the device (below the head) in large sequential
/// chunks, with one chunk of read-ahead: while the caller walks chunk i, chunk i + 1 is
/// already being read into the other buffer (double buffering).
///
/// Chunks start at the range start or a page start and end at a page end (or the range
/// end), never cross a segment (the device's rule), and grow from one page to
/// `maximumChunkBytes` by doubling, so a scan that stops after a few records (a sample)
/// reads little ahead.
///
/// Invariant: at most one read is in flight, into the buffer not handed to the caller;
/// `finish()` waits for it, so no buffer is freed under the device.
/// Not thread-safe: one scanning thread.
final class SequentialLogReader {
  /// One chunk handed to the caller: `bytes` holds the log bytes of `range`, valid until
  /// the next call to `next()`.
  struct Chunk {
    var range: Range<UInt64>
    var bytes: UnsafeRawPointer
  }

  /// A read in flight; its completion runs on a device thread.
  private final class PendingRead: @unchecked Sendable {
    // @unchecked Sendable: `outcome` is written by the completion before `done.signal()`
    // and read by the scanning thread after `done.wait()`.
    let done = DispatchSemaphore(value: 0)
    var outcome: Result<Int, DeviceError> = .success(0)
    let range: Range<UInt64>
    let alignedStart: UInt64
    let buffer: Int
    init(range: Range<UInt64>, alignedStart: UInt64, buffer: Int) {
      self.range = range
      self.alignedStart = alignedStart
      self.buffer = buffer
    }
  }

  static let defaultMaximumChunkBytes = 8 << 20

  private let device: any StorageDevice
  private let pageSize: UInt64
  private let alignment: UInt64
  private let maximumChunkBytes: UInt64
  private let buffers: [UnsafeMutableRawBufferPointer]
  private var nextStart: UInt64
  private let end: UInt64
  private var chunkBytes: UInt64
  private var pending: PendingRead?

  /// `[start, end)` must be below the head (flushed, so on the device).
  init(
    device: any StorageDevice, pageSize: UInt64, from start: UInt64, until end: UInt64,
    maximumChunkBytes: Int = SequentialLogReader.defaultMaximumChunkBytes
  ) {
    self.device = device
    self.pageSize = pageSize
    alignment = UInt64(device.alignment)
    // A whole number of pages, at most a segment (segments are a whole number of pages).
    let maximum = Swift.min(Swift.max(UInt64(maximumChunkBytes), pageSize), device.segmentSizeBytes)
    self.maximumChunkBytes = maximum & ~(pageSize - 1)
    let bufferBytes = Int(self.maximumChunkBytes + 2 * alignment)
    buffers = (0..<2).map { _ in
      UnsafeMutableRawBufferPointer.allocate(byteCount: bufferBytes, alignment: Int(device.alignment))
    }
    nextStart = start
    self.end = end
    chunkBytes = pageSize
  }

  deinit {
    finish()
    for buffer in buffers { buffer.deallocate() }
  }

  /// Waits for the read in flight, if any (its result is dropped).
  func finish() {
    if let pending {
      pending.done.wait()
      self.pending = nil
    }
  }

  /// The next chunk, or nil at the end of the range.
  func next() throws(DeviceError) -> Chunk? {
    if pending == nil { startRead(into: 0) }
    guard let current = pending else { return nil }
    current.done.wait()
    pending = nil
    let transferred = try current.outcome.get()
    let skip = Int(current.range.lowerBound - current.alignedStart)
    guard transferred >= skip + current.range.count else {
      throw DeviceError(
        .shortTransfer,
        message:
          "log scan: the device returned \(transferred) bytes at log offset \(current.alignedStart), \(skip + current.range.count) expected; the log file is shorter than the log says"
      )
    }
    // Read ahead into the other buffer while the caller walks this one.
    startRead(into: 1 - current.buffer)
    return Chunk(range: current.range, bytes: UnsafeRawPointer(buffers[current.buffer].baseAddress! + skip))
  }

  private func startRead(into bufferIndex: Int) {
    guard nextStart < end else { return }
    let start = nextStart
    let segment = device.segmentSizeBytes
    let segmentEnd = (start / segment + 1) * segment
    let chunkEnd = Swift.min((start & ~(pageSize - 1)) + chunkBytes, segmentEnd, end)
    chunkBytes = Swift.min(chunkBytes * 2, maximumChunkBytes)
    nextStart = chunkEnd
    let alignedStart = start & ~(alignment - 1)
    let alignedEnd = (chunkEnd + alignment - 1) & ~(alignment - 1)
    let read = PendingRead(range: start..<chunkEnd, alignedStart: alignedStart, buffer: bufferIndex)
    pending = read
    let target = UnsafeMutableRawBufferPointer(
      rebasing: buffers[bufferIndex][0..<Int(alignedEnd - alignedStart)])
    device.read(into: target, at: alignedStart) { result in
      read.outcome = result
      read.done.signal()
    }
  }
}
