// libFuzzer target: FasterLog's recovery scan (LogRecovery.recover): a commit record file
// and the log device's bytes, both from the input. Layout of an input:
//
//     byte 0       flags: bit 0 fixes the commit record's sequence (1), length and CRC32C,
//                  bit 1 fixes the checksum of every entry header the scan can reach
//     bytes 1-2    n, the commit record's length (little-endian u16)
//     n bytes      the commit record, written as <scratch>/commit.000...1
//     the rest     the device's contents from offset 0 (4 KiB log pages)
//
// Recovery must end in an outcome or a typed error; its recovered tail must lie within the
// committed range the record names, and it must never read more than the scan needs.
import FasterFuzzSupport
import FasterStorage

@testable import FasterCore

/// The state every input reuses (main.swift's globals would be main-actor isolated).
enum Fixture {
  static let device = MemoryDevice()
  static let pageSizeBytes = 4096
}

func fuzzLogRecovery(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size >= 3 else { return 0 }
  let flags = data[0]
  let recordLength = Swift.min(Int(data[1]) | Int(data[2]) << 8, size - 3)
  var record = Array(UnsafeBufferPointer(start: data + 3, count: recordLength))
  if flags & 1 != 0, record.count >= 60 { fixUp(&record) }
  var contents = Array(UnsafeBufferPointer(start: data + 3 + recordLength, count: size - 3 - recordLength))
  if flags & 2 != 0 { fixEntryChecksums(&contents) }
  Fixture.device.contents = contents
  let files = LogCommitFiles(directory: ScratchFile.directory)
  record.withUnsafeBytes { _ = ScratchFile.write($0, name: "commit.00000000000000000001") }
  do {
    let outcome = try LogRecovery.recover(
      files: files, device: Fixture.device, pageSizeBytes: Fixture.pageSizeBytes,
      logger: FasterLogging.disabled)
    if let found = outcome.record {
      let tail = outcome.report.committedUntil.rawValue
      precondition(
        tail <= found.committedUntil && (tail >= found.begin || tail == found.committedUntil),
        "recovered tail \(tail) outside [\(found.begin), \(found.committedUntil)]")
      precondition(
        outcome.tailPage.count <= Fixture.pageSizeBytes, "a tail page of \(outcome.tailPage.count) bytes")
    }
  } catch {
    precondition(!String(describing: error).isEmpty)
  }
  return 0
}

/// Sequence 1, the length field and the CRC32C made consistent.
func fixUp(_ record: inout [UInt8]) {
  func store<T: FixedWidthInteger>(_ value: T, at offset: Int) {
    withUnsafeBytes(of: value.littleEndian) {
      for index in 0..<MemoryLayout<T>.size { record[offset + index] = $0[index] }
    }
  }
  store(UInt64(1), at: 16)
  store(UInt32(truncatingIfNeeded: record.count), at: 12)
  let crc = record.withUnsafeBytes {
    CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<(record.count - 4)]))
  }
  store(crc, at: record.count - 4)
}

/// Walks each page from its first valid address and rewrites every entry header's
/// checksum, so the scan gets past the CRC to the lengths and page logic behind it.
func fixEntryChecksums(_ contents: inout [UInt8]) {
  contents.withUnsafeMutableBytes { raw in
    var pageStart = 0
    while pageStart < raw.count {
      let pageEnd = Swift.min(pageStart + Fixture.pageSizeBytes, raw.count)
      var offset = pageStart == 0 ? Int(Address.firstValid.rawValue) : pageStart
      while offset + 8 <= pageEnd {
        let entry = raw.baseAddress! + offset
        let lengthWord = UInt32(littleEndian: entry.loadUnaligned(as: UInt32.self))
        let length = Int(lengthWord & LogEntryFormat.lengthMask)
        let stored = LogEntryFormat.storedSize(ofPayloadLength: length)
        guard lengthWord != 0, offset + stored <= pageEnd else { break }
        let crc = LogEntryFormat.checksum(
          address: UInt64(offset), lengthWord: lengthWord,
          payload: UnsafeRawBufferPointer(start: entry + 8, count: length))
        entry.storeBytes(of: crc.littleEndian, toByteOffset: 4, as: UInt32.self)
        offset += stored
      }
      pageStart += Fixture.pageSizeBytes
    }
  }
}

FuzzerDriver.run { data, size in
  guard let data else { return 0 }
  return fuzzLogRecovery(data, size)
}
