import Testing

@testable import FasterBenchKit

@Suite struct ByteSizeTests {
  @Test(arguments: [
    ("4096", 4096), ("64k", 64 << 10), ("64K", 64 << 10), ("64m", 64 << 20), ("64MiB", 64 << 20),
    ("64mb", 64 << 20), ("2g", 2 << 30), ("1t", 1 << 40), (" 8 ", 8), ("0", 0),
  ])
  func parsesSizesWithBinarySuffixes(text: String, bytes: Int) {
    #expect(ByteSize.parse(text) == bytes)
  }

  @Test(arguments: ["", "m", "-1", "1.5g", "64x", "64 m", "64ib", "0x10", "99999999999999999999t", "16e"])
  func rejectsMalformedSizes(text: String) {
    #expect(ByteSize.parse(text) == nil)
  }

  @Test func formatsWithTheLargestExactUnit() {
    #expect(ByteSize.format(64 << 20) == "64m")
    #expect(ByteSize.format(3 << 30) == "3g")
    #expect(ByteSize.format(1000) == "1000")
  }
}
