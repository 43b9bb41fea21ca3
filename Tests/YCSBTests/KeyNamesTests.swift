import Testing

@testable import YCSB

@Suite struct KeyNamesTests {
  @Test func orderedKeyIsUserAndDigits() {
    #expect(KeyNames.name(5, hashed: false, zeroPadding: 1) == "user5")
    #expect(KeyNames.name(0, hashed: false, zeroPadding: 1) == "user0")
  }

  @Test func orderedKeyIsZeroPadded() {
    #expect(KeyNames.name(42, hashed: false, zeroPadding: 10) == "user0000000042")
    #expect(KeyNames.name(123_456, hashed: false, zeroPadding: 3) == "user123456")
  }

  @Test func hashedKeyUsesFNV() {
    #expect(KeyNames.name(0, hashed: true, zeroPadding: 1) == "user6284781860667377211")
    #expect(KeyNames.name(1, hashed: true, zeroPadding: 1) == "user8517097267634966620")
  }

  @Test func hashedKeyIsPaddedToWidth() {
    // FNV(42) has 17 digits.
    #expect(KeyNames.name(42, hashed: true, zeroPadding: 20) == "user00055488592825689361")
  }

  @Test func writesIntoCallerBuffer() {
    let capacity = KeyNames.maximumLength(zeroPadding: 5)
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 1)
    defer { buffer.deallocate() }
    let length = KeyNames.keyNumberToName(77, hashed: false, zeroPadding: 5, into: buffer)
    #expect(length == 9)
    #expect(String(decoding: buffer[0..<length], as: UTF8.self) == "user00077")
  }

  @Test func largestOrderedNumberFits() {
    let name = KeyNames.name(UInt64(Int64.max), hashed: false, zeroPadding: 1)
    #expect(name == "user9223372036854775807")
    #expect(name.utf8.count <= KeyNames.maximumLength(zeroPadding: 1))
  }

  @Test func topBitPrintsSignedLikeJava() {
    // Java's Long.toString of a negative long; the sign counts towards the padding.
    #expect(KeyNames.name(UInt64.max, hashed: false, zeroPadding: 4) == "user00-1")
  }
}
