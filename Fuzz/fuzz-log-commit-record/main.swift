// libFuzzer target: FasterLog's commit record decoder (LogCommitRecord.decode), on every
// input as given and again with its length field and CRC32C fixed up, so mutations reach
// the fields behind the checksum. Whatever decodes must re-encode to a record that decodes
// to the same value.
import FasterFuzzSupport

@testable import FasterCore

func fuzzLogCommitRecord(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  check(bytes)
  if bytes.count >= 60 { check(withFixedLengthAndChecksum(bytes)) }
  return 0
}

/// `bytes` with their length field (offset 12) and trailing CRC32C made consistent.
func withFixedLengthAndChecksum(_ bytes: [UInt8]) -> [UInt8] {
  var fixed = bytes
  let count = UInt32(truncatingIfNeeded: fixed.count).littleEndian
  withUnsafeBytes(of: count) { for index in 0..<4 { fixed[12 + index] = $0[index] } }
  let crc = fixed.withUnsafeBytes {
    CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<(fixed.count - 4)]))
  }
  withUnsafeBytes(of: crc.littleEndian) { for index in 0..<4 { fixed[fixed.count - 4 + index] = $0[index] } }
  return fixed
}

func check(_ bytes: [UInt8]) {
  switch LogCommitRecord.decode(bytes) {
  case .success(let record):
    guard case .success(let again) = LogCommitRecord.decode(record.encoded()), again == record else {
      fatalError("a decoded commit record does not survive encode + decode: \(record)")
    }
  case .failure(let failure):
    precondition(!failure.reason.isEmpty, "a decoding failure without a reason")
  }
}

FuzzerDriver.run { data, size in
  guard let data else { return 0 }
  return fuzzLogCommitRecord(data, size)
}
