/// A write `FaultInjectingDevice` has acknowledged but not yet made durable: a copy of its bytes.
///
/// Thread safety: an immutable value type.
struct UnflushedWrite: Sendable {
  /// The device offset of the first byte.
  let offset: UInt64
  /// The bytes that reached the "disk cache" (a prefix of the caller's buffer for a short write).
  let bytes: [UInt8]

  /// One past the last byte.
  var end: UInt64 { offset + UInt64(bytes.count) }

  /// Copies the part of this write that overlaps `[offset, offset + buffer.count)` into `buffer`.
  func overlay(onto buffer: UnsafeMutableRawBufferPointer, at bufferOffset: UInt64) {
    let start = max(offset, bufferOffset)
    let stop = min(end, bufferOffset + UInt64(buffer.count))
    guard start < stop else { return }
    bytes.withUnsafeBytes { source in
      let from = source[Int(start - offset)..<Int(stop - offset)]
      // Safety: both ranges were clipped to the overlap, so they are inside their buffers.
      UnsafeMutableRawBufferPointer(rebasing: buffer[Int(start - bufferOffset)..<Int(stop - bufferOffset)])
        .copyMemory(from: UnsafeRawBufferPointer(rebasing: from))
    }
  }

  /// True when `writes` together cover every byte of `[offset, offset + length)`.
  static func cover(_ writes: [UnflushedWrite], offset: UInt64, length: Int) -> Bool {
    var covered = offset
    let end = offset + UInt64(length)
    for write in writes.sorted(by: { $0.offset < $1.offset }) {
      if write.offset > covered { return false }
      covered = max(covered, write.end)
      if covered >= end { return true }
    }
    return covered >= end
  }
}
