/// YCSB's 64-bit FNV-1a hash of a key number (`site.ycsb.Utils.fnvhash64`).
///
/// Offset basis 0xCBF29CE484222325, prime 1099511628211, applied byte by byte to the eight
/// little-endian bytes of the value (low byte first), then the absolute value of the result read
/// as a signed 64-bit integer, as YCSB's `Math.abs` does. Like Java's `Math.abs`, the one hash
/// equal to `Int64.min` stays `Int64.min`: its bit pattern, 1 << 63, is returned.
///
/// Thread safety: a pure function.
public enum FNV1a {
  public static let offsetBasis64: UInt64 = 0xCBF2_9CE4_8422_2325
  public static let prime64: UInt64 = 1_099_511_628_211

  @inlinable
  public static func hash64(_ value: UInt64) -> UInt64 {
    var hash = offsetBasis64
    var remaining = value
    for _ in 0..<8 {
      hash ^= remaining & 0xFF
      hash = hash &* prime64
      remaining >>= 8
    }
    let signed = Int64(bitPattern: hash)
    return signed < 0 ? UInt64(bitPattern: 0 &- signed) : hash
  }
}
