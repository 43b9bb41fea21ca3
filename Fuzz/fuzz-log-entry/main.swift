// libFuzzer target: FasterLog's entry format (LogEntryFormat.storedRecordSize, .validate)
// walking a page of fuzzed bytes the way recovery and scans do: the bytes after byte 0 are
// the log page at address 0, whose entries start at 64 (Address.firstValid). Byte 0 picks a
// mode: bit 0 set rewrites each entry's checksum before validating it, so mutated lengths
// and payloads are walked past the CRC. Checks that the two parsers agree and that nothing reads past
// the bytes given.
import FasterFuzzSupport

@testable import FasterCore

func fuzzLogEntry(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size >= 1 else { return 0 }
  let fixChecksums = data[0] & 1 != 0
  // The page: an exact-size heap copy, so AddressSanitizer catches any read past its end.
  let count = size - 1
  let page = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(count, 1), alignment: 8)
  defer { page.deallocate() }
  page.copyMemory(from: data + 1, byteCount: count)
  let base: UInt64 = 0  // the page's log address
  var offset = Int(Address.firstValid.rawValue)
  while offset < count {
    let address = base + UInt64(offset)
    let available = count - offset
    let entry = page + offset
    if fixChecksums, available >= 8 {
      let lengthWord = entry.loadUnaligned(as: UInt32.self)
      let length = Int(UInt32(littleEndian: lengthWord) & LogEntryFormat.lengthMask)
      if LogEntryFormat.storedSize(ofPayloadLength: length) <= available {
        let crc = LogEntryFormat.checksum(
          address: address, lengthWord: UInt32(littleEndian: lengthWord),
          payload: UnsafeRawBufferPointer(start: entry + 8, count: length))
        entry.storeBytes(of: crc, toByteOffset: 4, as: UInt32.self)
      }
    }
    let sized = LogEntryFormat.storedRecordSize(at: entry, available: available)
    switch LogEntryFormat.validate(entry, address: address, available: available) {
    case .valid(let length):
      let stored = LogEntryFormat.storedSize(ofPayloadLength: length)
      precondition(stored <= available, "a valid entry of \(stored) bytes with \(available) available")
      precondition(sized == .size(stored), "storedRecordSize \(sized) disagrees with validate (\(stored))")
      offset += stored
    case .corrupt(let reason):
      precondition(!reason.isEmpty)
      return 0
    }
  }
  return 0
}

FuzzerDriver.run { data, size in
  guard let data else { return 0 }
  return fuzzLogEntry(data, size)
}
