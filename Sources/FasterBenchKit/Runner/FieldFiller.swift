/// Fills field bytes from one 64-bit draw of the thread's generator: a xorshift64* stream seeded
/// by the draw, eight bytes per step, no allocation. YCSB fills fields with random bytes; the
/// values only need to vary, not to be of cryptographic quality. The same seed always gives the
/// same bytes, so a write can be carried as its seed (``RecordPayload/fieldSeed``).
public enum FieldFiller {
  @inline(__always)
  public static func fill(_ buffer: UnsafeMutableRawBufferPointer, seed: UInt64) {
    guard let base = buffer.baseAddress else { return }
    var state = seed | 1
    var offset = 0
    let count = buffer.count
    while offset &+ 8 <= count {
      state ^= state >> 12
      state ^= state << 25
      state ^= state >> 27
      // Safety: offset + 8 <= count, inside the buffer; storeBytes tolerates any alignment.
      base.storeBytes(of: state &* 0x2545_F491_4F6C_DD1D, toByteOffset: offset, as: UInt64.self)
      offset &+= 8
    }
    var tail = state &* 0x2545_F491_4F6C_DD1D
    while offset < count {
      base.storeBytes(of: UInt8(truncatingIfNeeded: tail), toByteOffset: offset, as: UInt8.self)
      tail >>= 8
      offset &+= 1
    }
  }
}
