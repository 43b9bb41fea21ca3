import FasterTestSupport
import Testing

@testable import FasterCore

/// CRC32C against RFC 3720 (B.4) and the classic check value, on both code paths.
@Suite struct CRC32CTests {
  @Test func matchesTheRFC3720Vectors() {
    let vectors: [([UInt8], UInt32)] = [
      ([UInt8](repeating: 0, count: 32), 0x8A91_36AA),
      ([UInt8](repeating: 0xFF, count: 32), 0x62A8_AB43),
      ((0..<32).map { UInt8($0) }, 0x46DD_794E),
      ((0..<32).map { UInt8(31 - $0) }, 0x113F_DB5C),
      (Array("123456789".utf8), 0xE306_9283),
    ]
    for (bytes, expected) in vectors {
      #expect(CRC32C.checksum(bytes) == expected)
      #expect(bytes.withUnsafeBytes { CRC32C.softwareChecksum($0) } == expected)
    }
  }

  @Test func theHardwareAndTablePathsAgreeOnEveryLengthAndAlignment() {
    var random = TestRandom(seed: testSeed("CRC32CTests.pathsAgree"))
    let bytes = (0..<600).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    bytes.withUnsafeBytes { raw in
      for start in 0..<9 {
        for length in [0, 1, 7, 8, 9, 63, 64, 65, 500] {
          let slice = UnsafeRawBufferPointer(rebasing: raw[start..<(start + length)])
          #expect(CRC32C.checksum(slice) == CRC32C.softwareChecksum(slice))
        }
      }
    }
  }

  @Test func checksumsContinueAcrossPieces() {
    let bytes = Array("123456789".utf8)
    let first = CRC32C.checksum(Array(bytes[0..<4]))
    #expect(CRC32C.checksum(Array(bytes[4...]), continuing: first) == 0xE306_9283)
  }
}
