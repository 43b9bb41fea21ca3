import Testing

@testable import FasterPlatform

@Suite struct SmapsScannerTests {
  static let sample = """
    00400000-00452000 r-xp 00000000 08:02 173521      /usr/bin/dbus-daemon
    Size:                328 kB
    AnonHugePages:      2048 kB
    VmFlags: rd ex mr mw me dw
    7f0000000000-7f0000800000 rw-p 00000000 00:00 0
    Size:               8192 kB
    KernelPageSize:        4 kB
    AnonHugePages:      4096 kB
    VmFlags: rd wr mr mw me ac hg
    7f0000800000-7f0001000000 rw-p 00000000 00:00 0
    Size:               8192 kB
    AnonHugePages:      8192 kB
    VmFlags: rd wr mr mw me ac
    7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0   [stack]
    AnonHugePages:         0 kB

    """

  func scan(_ start: UInt, _ end: UInt) -> Int {
    SmapsScanner.anonHugePageBytes(smaps: Array(Self.sample.utf8), rangeStart: start, rangeEnd: end)
  }

  @Test func sumsOneMappingInsideTheRange() {
    #expect(scan(0x7f00_0000_0000, 0x7f00_0080_0000) == 4096 * 1024)
  }

  @Test func sumsTwoMappingsOverlappingTheRange() {
    #expect(scan(0x7f00_0000_0000, 0x7f00_0100_0000) == 12288 * 1024)
  }

  @Test func clipsAMappingToItsOverlap() {
    // 2 MiB of the second mapping overlaps the range; it reports 8 MiB of huge pages.
    #expect(scan(0x7f00_0080_0000, 0x7f00_00a0_0000) == 2 << 20)
  }

  @Test func clipsTheTotalToTheRange() {
    #expect(scan(0x7f00_007f_f000, 0x7f00_0080_1000) <= 8192)
  }

  @Test func ignoresMappingsOutsideTheRange() {
    #expect(scan(0x1000, 0x2000) == 0)
    #expect(scan(0x7f00_0100_0000, 0x7f00_0200_0000) == 0)
  }

  @Test func emptyRangeAndEmptyTextGiveZero() {
    #expect(scan(0x7f00_0000_0000, 0x7f00_0000_0000) == 0)
    #expect(SmapsScanner.anonHugePageBytes(smaps: [], rangeStart: 0, rangeEnd: 1 << 40) == 0)
  }

  @Test func malformedLinesAreIgnored() {
    let text = "garbage\nzz-yy rw-p\n7f0000000000-7f0000200000 rw-p 0 0 0\nAnonHugePages: x kB\n"
    #expect(
      SmapsScanner.anonHugePageBytes(
        smaps: Array(text.utf8), rangeStart: 0x7f00_0000_0000, rangeEnd: 0x7f00_0020_0000) == 0)
  }

  @Test func theLiveSmapsFileParses() throws {
    let smaps = try #require(SystemFile.readBytes("/proc/self/smaps"))
    let total = SmapsScanner.anonHugePageBytes(smaps: smaps, rangeStart: 0, rangeEnd: UInt.max)
    #expect(total >= 0)
  }
}
