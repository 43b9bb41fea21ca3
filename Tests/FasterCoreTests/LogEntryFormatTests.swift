import FasterTestSupport
import Testing

@testable import FasterCore

/// The entry header and the commit record, byte for byte.
@Suite struct LogEntryFormatTests {
  @Test func anEmptyEntryHasANonZeroHeader() {
    var storage = [UInt64](repeating: 0, count: 2)
    storage.withUnsafeMutableBytes { raw in
      LogEntryFormat.write(UnsafeRawBufferPointer(start: nil, count: 0), at: raw.baseAddress!, address: 64)
      #expect(raw.load(as: UInt64.self) != 0)
      #expect(LogEntryFormat.validate(raw.baseAddress!, address: 64, available: 16) == .valid(length: 0))
    }
  }

  @Test func storedSizesAreHeaderPlusPaddedPayload() {
    #expect(LogEntryFormat.storedSize(ofPayloadLength: 0) == 8)
    #expect(LogEntryFormat.storedSize(ofPayloadLength: 1) == 16)
    #expect(LogEntryFormat.storedSize(ofPayloadLength: 8) == 16)
    #expect(LogEntryFormat.storedSize(ofPayloadLength: 9) == 24)
  }

  @Test func everyFlippedBitIsDetected() {
    let payload = logPayload(3, length: 21)
    var storage = [UInt8](repeating: 0, count: 32)
    storage.withUnsafeMutableBytes { raw in
      payload.withUnsafeBytes { LogEntryFormat.write($0, at: raw.baseAddress!, address: 4096) }
    }
    for byte in 0..<(8 + payload.count) {
      for bit in 0..<8 {
        var flipped = storage
        flipped[byte] ^= UInt8(1 << bit)
        let result = flipped.withUnsafeBytes {
          LogEntryFormat.validate($0.baseAddress!, address: 4096, available: 32)
        }
        #expect(result != .valid(length: 21), "byte \(byte) bit \(bit)")
      }
    }
    let atAnotherAddress = storage.withUnsafeBytes {
      LogEntryFormat.validate($0.baseAddress!, address: 4104, available: 32)
    }
    #expect(atAnotherAddress != .valid(length: 21), "the address is part of the checksum")
  }

  @Test func aCommitRecordRoundTripsAndRejectsEveryFlippedByte() {
    let record = LogCommitRecord(
      sequence: 9, begin: 4096, committedUntil: 81_920, pageSizeBytes: 4096,
      iterators: ["a": 4096, "consumer": 8192])
    let bytes = record.encoded()
    #expect(LogCommitRecord.decode(bytes) == .success(record))
    for index in bytes.indices {
      var flipped = bytes
      flipped[index] ^= 0x10
      if case .success = LogCommitRecord.decode(flipped) { Issue.record("flipped byte \(index) accepted") }
    }
    if case .success = LogCommitRecord.decode(Array(bytes.dropLast(3))) {
      Issue.record("a cut record accepted")
    }
  }
}
