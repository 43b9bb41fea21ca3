/// YCSB key names: "user" followed by the key number (or its FNV-1a hash when inserts are hashed)
/// in decimal, left-padded with zeros to `zeroPadding` digits (`CoreWorkload.buildKeyName`).
///
/// The number is printed as Java prints a `long`: a value with the top bit set prints with a minus
/// sign, and the sign counts towards the padding width ("user00-5"), exactly as YCSB does. For
/// hashed keys that happens only for the single key whose hash is `Int64.min`.
///
/// Thread safety: pure functions.
public enum KeyNames {
  /// The prefix of every key name.
  public static let prefix: StaticString = "user"

  /// The longest name `keyNumberToName` can write for `zeroPadding`: "user", a sign, 19 digits.
  @inlinable
  public static func maximumLength(zeroPadding: Int) -> Int {
    4 + Swift.max(zeroPadding, 20)
  }

  /// Writes the key name for key number `keyNumber` into `buffer` and returns the bytes written.
  /// Does not allocate.
  ///
  /// Precondition: `buffer.count >= maximumLength(zeroPadding:)` or at least the name's length.
  @inlinable
  public static func keyNumberToName(
    _ keyNumber: UInt64, hashed: Bool, zeroPadding: Int, into buffer: UnsafeMutableRawBufferPointer
  ) -> Int {
    let number = Int64(bitPattern: hashed ? FNV1a.hash64(keyNumber) : keyNumber)
    let negative = number < 0
    let magnitude = number.magnitude
    let digitCount = decimalDigitCount(magnitude)
    let numberLength = digitCount + (negative ? 1 : 0)
    let fillCount = Swift.max(0, zeroPadding - numberLength)
    let totalLength = 4 + fillCount + numberLength
    precondition(
      buffer.count >= totalLength, "key name needs \(totalLength) bytes, buffer has \(buffer.count)")
    // 'u' 's' 'e' 'r'
    buffer[0] = 0x75
    buffer[1] = 0x73
    buffer[2] = 0x65
    buffer[3] = 0x72
    var index = 4
    for _ in 0..<fillCount {
      buffer[index] = 0x30
      index += 1
    }
    if negative {
      buffer[index] = 0x2D
      index += 1
    }
    var remaining = magnitude
    var position = totalLength - 1
    repeat {
      let (quotient, digit) = remaining.quotientAndRemainder(dividingBy: 10)
      buffer[position] = 0x30 &+ UInt8(truncatingIfNeeded: digit)
      position -= 1
      remaining = quotient
    } while remaining != 0
    assert(position == index - 1)
    return totalLength
  }

  /// The key name as a String (allocates; for tests, reports and the load phase of slow bindings).
  public static func name(_ keyNumber: UInt64, hashed: Bool, zeroPadding: Int) -> String {
    let capacity = maximumLength(zeroPadding: zeroPadding)
    return withUnsafeTemporaryAllocation(byteCount: capacity, alignment: 1) { buffer in
      let length = keyNumberToName(keyNumber, hashed: hashed, zeroPadding: zeroPadding, into: buffer)
      return String(decoding: UnsafeRawBufferPointer(rebasing: buffer[0..<length]), as: UTF8.self)
    }
  }

  @inlinable
  static func decimalDigitCount(_ value: UInt64) -> Int {
    var count = 1
    var remaining = value
    while remaining >= 10 {
      remaining /= 10
      count += 1
    }
    return count
  }
}
