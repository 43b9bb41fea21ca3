import FasterStorage

/// A device whose contents are a byte array the fuzz target sets before each input: reads
/// copy what the array holds at their offset and report how much that was (a short
/// transfer past its end, as a file shorter than the log says). Writes are refused.
///
/// Completions run inline, on the caller's thread: the fuzzers drive one input at a time
/// and the code under test waits for each read before the next.
///
/// Thread safety: `contents` is set between inputs by the fuzzer's single thread only.
public final class MemoryDevice: StorageDevice, @unchecked Sendable {
  // @unchecked Sendable: one thread (libFuzzer's) uses it; completions run inline.
  public let name = "fuzz-memory"
  public let alignment = 512
  public let segmentSizeBytes: UInt64 = 1 << 30
  /// The device's bytes, from device offset 0.
  public var contents: [UInt8] = []
  private var reads: UInt64 = 0

  public init() {}

  public func write(_ buffer: UnsafeRawBufferPointer, at offset: UInt64, completion: @escaping IOCompletion) {
    completion(.failure(DeviceError(.invalidArgument, message: "the fuzz device is read-only")))
  }

  public func read(
    into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64, completion: @escaping IOCompletion
  ) {
    guard offset % UInt64(alignment) == 0, buffer.count % alignment == 0 else {
      completion(.failure(DeviceError(.invalidArgument, message: "misaligned read at \(offset)")))
      return
    }
    reads += 1
    guard offset < UInt64(contents.count) else {
      completion(.success(0))
      return
    }
    let count = Swift.min(buffer.count, contents.count - Int(offset))
    contents.withUnsafeBytes { source in
      buffer.baseAddress!.copyMemory(from: source.baseAddress! + Int(offset), byteCount: count)
    }
    completion(.success(count))
  }

  public func flush() throws(DeviceError) {}
  public func truncate(before offset: UInt64) throws(DeviceError) {}
  public var statistics: DeviceStatistics { DeviceStatistics(reads: reads) }
  public func close() {}
}
