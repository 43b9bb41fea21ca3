/// A record read from the device into private memory: `size` bytes at `record`, inside
/// an aligned buffer the receiver owns and must release with `deallocate()`.
///
/// Thread safety: owned by one thread at a time; handed over with the I/O completion.
struct DeviceRecord: @unchecked Sendable {
  // @unchecked Sendable: the buffer is owned by whoever holds the value.
  let buffer: UnsafeMutableRawBufferPointer
  let offset: Int
  let size: Int

  /// The record's first byte.
  var record: UnsafeMutableRawPointer { buffer.baseAddress! + offset }

  func deallocate() { buffer.deallocate() }
}
