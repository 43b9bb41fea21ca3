import Foundation
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

  /// `(start, end, AnonHugePages bytes)` of every mapping in smaps text, parsed independently
  /// of the scanner (with the standard library's string functions).
  static func mappings(_ smaps: [UInt8]) -> [(start: UInt, end: UInt, hugeBytes: UInt)] {
    var result: [(start: UInt, end: UInt, hugeBytes: UInt)] = []
    for line in String(decoding: smaps, as: UTF8.self).split(separator: "\n") {
      let fields = line.split(separator: " ", omittingEmptySubsequences: true)
      if let range = fields.first?.split(separator: "-"), range.count == 2, fields.count >= 5,
        let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16)
      {
        result.append((start, end, 0))
      } else if fields.first == "AnonHugePages:", fields.count == 3, fields[2] == "kB",
        let kilobytes = UInt(fields[1]), !result.isEmpty
      {
        result[result.count - 1].hugeBytes = kilobytes * 1024
      }
    }
    return result
  }

  /// What the scanner should return for a range, from the independent parse.
  static func expected(_ smaps: [UInt8], _ start: UInt, _ end: UInt) -> Int {
    var total: UInt = 0
    for mapping in mappings(smaps) where mapping.end > start && mapping.start < end {
      total += min(mapping.hugeBytes, min(mapping.end, end) - max(mapping.start, start))
    }
    return Int(min(total, end - start))
  }

  @Test func theLiveSmapsFileAddsUpToItsAnonHugePagesFields() throws {
    let smaps = try #require(SystemFile.readBytes("/proc/self/smaps"))
    let mappings = Self.mappings(smaps)
    #expect(mappings.count > 10, "this process has code, heap, stack and library mappings")
    let total = SmapsScanner.anonHugePageBytes(smaps: smaps, rangeStart: 0, rangeEnd: UInt.max)
    #expect(total == Int(mappings.reduce(0) { $0 + $1.hugeBytes }))
  }

  /// A region of this process, advised for huge pages and touched: the scanner finds its
  /// mapping in the live smaps and reports that mapping's AnonHugePages, clipped to the region.
  /// (Whether the kernel grants huge pages depends on its THP mode and free memory; when it
  /// does, the total is positive and says so.)
  @Test func seesAHugePageAdvisedRegionOfThisProcess() throws {
    let size = 8 << 20
    let raw = mmap(nil, size + (2 << 20), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
    let mapping = try #require(raw == MAP_FAILED ? nil : raw)
    defer { munmap(mapping, size + (2 << 20)) }
    let start = (UInt(bitPattern: Int(bitPattern: mapping)) + (2 << 20) - 1) & ~UInt((2 << 20) - 1)
    let region = UnsafeMutableRawPointer(bitPattern: start)!
    _ = madvise(region, size, MADV_HUGEPAGE)
    for offset in stride(from: 0, to: size, by: 4096) {
      region.storeBytes(of: 1, toByteOffset: offset, as: UInt8.self)
    }

    let smaps = try #require(SystemFile.readBytes("/proc/self/smaps"))
    let end = start + UInt(size)
    #expect(
      Self.mappings(smaps).contains { $0.start <= start && $0.end >= end },
      "smaps lists a mapping that holds the region")
    let scanned = SmapsScanner.anonHugePageBytes(smaps: smaps, rangeStart: start, rangeEnd: end)
    #expect(scanned == Self.expected(smaps, start, end))
    #expect(scanned <= size)
    print("seesAHugePageAdvisedRegionOfThisProcess: \(scanned >> 20) MiB of 8 MiB in huge pages")
  }
}
