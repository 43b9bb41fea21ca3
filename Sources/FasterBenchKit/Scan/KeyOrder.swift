import YCSB

/// The order YCSB's ordered scans use: the order of the key *names* as strings, not of the key
/// numbers. With hashed insert order, `"user" + fnv(k)` names sort like their decimal digit
/// strings (`"user123" < "user45"`); zero padding adds leading zeros; a number with its top bit
/// set prints with a minus sign, as Java prints a `long` (`KeyNames`).
///
/// ``sortKey(of:)`` maps a name to an integer with the same order, so the ordered index compares
/// 128-bit integers instead of strings. After the common prefix `"user"`, a name is a string over
/// `-0123456789` (ASCII order: `-` first) of at most `width = max(20, zeropadding)` characters.
/// Each character gets a code (`-` = 1, `0` = 2, ..., `9` = 11), the string is left-aligned in
/// `width` base-12 digits and padded with 0:
///
///     sortKey = sum over i of code(c_i) * 12^(width - 1 - i)
///
/// Two such strings compare lexicographically exactly as their keys compare: the first
/// differing position decides, and a string that is a prefix of another has 0 (smaller than any
/// character's code) where the other continues. `width` is at most 35 (12^35 < 2^128).
public struct KeyOrder: Sendable {
  public static let maximumWidth = 35

  public let shape: RecordShape
  let width: Int

  /// - Throws: when `zeropadding` exceeds 35 digits.
  public init(shape: RecordShape) throws(BindingError) {
    let width = max(20, shape.zeroPadding)
    guard width <= Self.maximumWidth else {
      throw BindingError(
        "ordered scans support key names of up to \(Self.maximumWidth) digits; zeropadding=\(shape.zeroPadding) is too wide"
      )
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

  /// The sort key of a name's bytes; the 4-byte prefix (`"user"`, the same for every key) is skipped.
  ///
  /// - Precondition: after the prefix, only `-` and ASCII digits, at most `width` of them.
  public func sortKey(ofName name: UnsafeRawBufferPointer) -> UInt128 {
    precondition(name.count >= 4 && name.count - 4 <= width, "KeyOrder: a key name is longer than the width")
    var value: UInt128 = 0
    for index in 4..<name.count {
      let byte = name[index]
      let code: UInt128
      if byte >= 0x30 && byte <= 0x39 {
        code = UInt128(byte &- 0x30) &+ 2
      } else {
        precondition(byte == 0x2D, "KeyOrder: a key name has a character other than - and digits")
        code = 1
      }
      value = value &* 12 &+ code
    }
    for _ in (name.count - 4)..<width { value = value &* 12 }
    return value
  }
}
