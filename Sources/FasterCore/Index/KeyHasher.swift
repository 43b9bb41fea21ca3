/// The hash functions that place keys in the index.
///
/// They are part of the on-disk format: an index checkpoint is only valid with the same
/// hashes, so they are fixed here (not Swift's per-process seeded `Hasher`) and pinned
/// by `KeyHasherTests`.
public enum KeyHasher {
  /// Hash of an 8-byte key: the 64-bit finaliser of MurmurHash3 (full avalanche, so the
  /// bucket bits and the tag bits are independent).
  @inlinable
  public static func hash(word: UInt64) -> UInt64 {
    var x = word
    x ^= x >> 33
    x &*= 0xFF51_AFD7_ED55_8CCD
    x ^= x >> 33
    x &*= 0xC4CE_B9FE_1A85_EC53
    x ^= x >> 33
    return x
  }

  /// Hash of a byte string: 8 bytes at a time (little-endian), multiply-rotate mixing,
  /// then the finaliser; the length is mixed in so that trailing zero bytes matter.
  @inlinable
  public static func hash(bytes: UnsafeRawBufferPointer) -> UInt64 {
    let count = bytes.count
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: count)
    guard let base = bytes.baseAddress else { return hash(word: h) }
    var index = 0
    while index &+ 8 <= count {
      let word = UInt64(littleEndian: (base + index).loadUnaligned(as: UInt64.self))
      h = (h ^ (word &* 0x87C3_7B91_1142_53D5)).rotatedLeft(by: 31) &* 0x4CF5_AD43_2745_937F
      index &+= 8
    }
    if index < count {
      var word: UInt64 = 0
      var shift: UInt64 = 0
      while index < count {
        word |= UInt64(base.load(fromByteOffset: index, as: UInt8.self)) << shift
        shift &+= 8
        index &+= 1
      }
      h = (h ^ (word &* 0x87C3_7B91_1142_53D5)).rotatedLeft(by: 31) &* 0x4CF5_AD43_2745_937F
    }
    return hash(word: h)
  }
}

extension UInt64 {
  @inlinable
  func rotatedLeft(by count: UInt64) -> UInt64 { (self << count) | (self >> (64 &- count)) }
}
