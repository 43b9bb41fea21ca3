/// Sums `AnonHugePages` over the `/proc/<pid>/smaps` mappings that overlap an address range.
///
/// smaps is a sequence of mapping blocks: a header line `start-end perms offset dev inode [path]`
/// (addresses in lowercase hex) followed by `Key:   value [kB]` lines. A mapping's AnonHugePages
/// covers the whole mapping, which may extend past the range (jemalloc merges neighbouring
/// extents), so each mapping's contribution is clipped to its overlap with the range, and the
/// total to the range's size.
///
/// Thread safety: stateless; safe from any thread.
enum SmapsScanner {
  static func anonHugePageBytes(smaps: [UInt8], rangeStart: UInt, rangeEnd: UInt) -> Int {
    guard rangeEnd > rangeStart else { return 0 }
    var total: UInt = 0
    var overlapOfCurrentMapping: UInt = 0
    var lineStart = 0
    while lineStart < smaps.count {
      var lineEnd = lineStart
      while lineEnd < smaps.count, smaps[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
      let line = smaps[lineStart..<lineEnd]
      lineStart = lineEnd + 1

      if let (mappingStart, mappingEnd) = parseHeader(line) {
        let low = max(mappingStart, rangeStart)
        let high = min(mappingEnd, rangeEnd)
        overlapOfCurrentMapping = high > low ? high - low : 0
      } else if overlapOfCurrentMapping > 0, let kilobytes = value(of: "AnonHugePages", in: line) {
        total += min(kilobytes * 1024, overlapOfCurrentMapping)
      }
    }
    return Int(min(total, rangeEnd - rangeStart))
  }

  /// `(start, end)` of a header line such as `7f0000000000-7f0000400000 rw-p 00000000 00:00 0`,
  /// or nil if the line is not a header.
  private static func parseHeader(_ line: ArraySlice<UInt8>) -> (UInt, UInt)? {
    var index = line.startIndex
    guard let start = parseHex(line, &index), index < line.endIndex,
      line[index] == UInt8(ascii: "-")
    else { return nil }
    index += 1
    guard let end = parseHex(line, &index), index < line.endIndex, line[index] == UInt8(ascii: " ")
    else { return nil }
    return end >= start ? (start, end) : nil
  }

  private static func parseHex(_ line: ArraySlice<UInt8>, _ index: inout Int) -> UInt? {
    var value: UInt = 0
    var digitCount = 0
    while index < line.endIndex {
      let byte = line[index]
      let digit: UInt
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt(byte - UInt8(ascii: "a") + 10)
      default:
        return digitCount > 0 && digitCount <= 16 ? value : nil
      }
      value = value &<< 4 | digit
      digitCount += 1
      index += 1
    }
    return nil
  }

  /// The number in a `Key:   1234 kB` line when the key matches, else nil.
  private static func value(of key: StaticString, in line: ArraySlice<UInt8>) -> UInt? {
    let keyLength = key.utf8CodeUnitCount
    guard line.count > keyLength else { return nil }
    var index = line.startIndex
    // Safety: a StaticString's UTF-8 buffer is immortal and `keyLength` bytes long.
    let keyBytes = UnsafeBufferPointer(start: key.utf8Start, count: keyLength)
    for keyByte in keyBytes {
      guard line[index] == keyByte else { return nil }
      index += 1
    }
    guard line[index] == UInt8(ascii: ":") else { return nil }
    index += 1
    while index < line.endIndex, line[index] == UInt8(ascii: " ") || line[index] == UInt8(ascii: "\t") {
      index += 1
    }
    var number: UInt = 0
    var digitCount = 0
    while index < line.endIndex, line[index] >= UInt8(ascii: "0"), line[index] <= UInt8(ascii: "9") {
      number = number &* 10 &+ UInt(line[index] - UInt8(ascii: "0"))
      digitCount += 1
      index += 1
    }
    return digitCount > 0 ? number : nil
  }
}
