/// HdrHistogram's variable-length integers (its `ZigZagEncoding`): a signed 64-bit value is
/// zig-zag mapped to unsigned, then written 7 bits per byte, low bits first, with the high bit
/// of each byte meaning "more follows"; the ninth byte, if reached, holds the last 8 bits whole.
enum ZigZagVarint {
  static func append(_ value: Int64, to bytes: inout [UInt8]) {
    var remaining = UInt64(bitPattern: (value << 1) ^ (value >> 63))
    for _ in 0..<8 {
      if remaining < 0x80 {
        bytes.append(UInt8(remaining))
        return
      }
      bytes.append(UInt8(remaining & 0x7F) | 0x80)
      remaining >>= 7
    }
    bytes.append(UInt8(truncatingIfNeeded: remaining))
  }

  /// Reads one value at `offset`, advancing it; nil when the bytes end mid-value.
  static func read(_ bytes: [UInt8], at offset: inout Int) -> Int64? {
    var unsigned: UInt64 = 0
    for byteIndex in 0..<9 {
      guard offset < bytes.count else { return nil }
      let byte = bytes[offset]
      offset += 1
      if byteIndex == 8 {
        unsigned |= UInt64(byte) << 56
        break
      }
      unsigned |= UInt64(byte & 0x7F) << (7 * UInt64(byteIndex))
      if byte & 0x80 == 0 { break }
    }
    return Int64(bitPattern: unsigned >> 1) ^ -Int64(bitPattern: unsigned & 1)
  }
}
