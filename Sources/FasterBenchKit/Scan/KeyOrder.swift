/// The order YCSB's ordered scans use: the order of the key *names* as strings, not of the key
/// numbers. With hashed insert order, `"user" + fnv(k)` names sort like their decimal digit
/// strings (`"user123" < "user45"`); with zero padding shorter numbers gain leading zeros.
///
/// ``sortKey(of:)`` maps a name to an integer with the same order, so the ordered index compares
/// 128-bit integers instead of strings. For a name whose digits are `d1...dL` (after the common
/// non-digit prefix `"user"`), left-aligned in `width` digits:
///
///     sortKey = (d1...dL * 10^(width - L)) * 64 + L
///
/// Two digit strings compare lexicographically exactly as these keys compare: if the left-aligned
/// values differ, the first differing digit decides, as in the strings; if they are equal, one
/// string is the other plus trailing zeros, i.e. a prefix of it, and the shorter (smaller L)
/// sorts first, as in the strings. `width` is `max(20, zeropadding)` (20 digits hold any UInt64),
/// at most 36 so that `10^36 * 64` fits in 128 bits.
public struct KeyOrder: Sendable {
  public static let maximumWidth = 36

  public let shape: RecordShape
  let width: Int

  /// - Throws: when `zeropadding` exceeds 36 digits.
  public init(shape: RecordShape) throws(BindingError) {
    let width = max(20, shape.zeroPadding)
    guard width <= Self.maximumWidth else {
      throw BindingError(
        "ordered scans support key names of up to \(Self.maximumWidth) digits; zeropadding=\(shape.zeroPadding) is too wide")
    }
    self.shape = shape
    self.width = width
  }

  /// The sort key of `keyNumber`'s name.
  @inline(__always)
  public func sortKey(of keyNumber: UInt64) -> UInt128 {
    withUnsafeTemporaryAllocation(byteCount: 64, alignment: 8) { buffer in
      let length = shape.writeKeyName(keyNumber, into: buffer)
      return sortKey(ofName: UnsafeRawBufferPointer(rebasing: buffer[0..<length]))
    }
  }

  /// The sort key of a name's bytes: the non-digit prefix is skipped (it is the same for every key).
  ///
  /// - Precondition: after the prefix, only ASCII digits, at most `width` of them.
  public func sortKey(ofName name: UnsafeRawBufferPointer) -> UInt128 {
    var index = 0
    while index < name.count && !(name[index] >= 0x30 && name[index] <= 0x39) { index &+= 1 }
    var value: UInt128 = 0
    var digits = 0
    while index < name.count {
      let byte = name[index]
      precondition(byte >= 0x30 && byte <= 0x39, "KeyOrder: a key name has a non-digit after its prefix")
      value = value &* 10 &+ UInt128(byte &- 0x30)
      digits &+= 1
      index &+= 1
    }
    precondition(digits <= width, "KeyOrder: a key name has more digits than the zero padding allows")
    for _ in digits..<width { value = value &* 10 }
    return value &* 64 &+ UInt128(digits)
  }
}
