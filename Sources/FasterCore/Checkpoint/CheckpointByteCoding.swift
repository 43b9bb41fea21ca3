/// Little-endian encoding of checkpoint files' fields.
struct CheckpointByteWriter {
  var bytes: [UInt8] = []

  mutating func append<T: FixedWidthInteger>(_ value: T) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
  }

  mutating func append(bytes more: [UInt8]) { bytes.append(contentsOf: more) }

  /// A string as a u16 byte count and its UTF-8 bytes (at most 65535 bytes).
  mutating func append(string: String) {
    let utf8 = Array(string.utf8.prefix(Int(UInt16.max)))
    append(UInt16(utf8.count))
    bytes.append(contentsOf: utf8)
  }
}

/// Reads fields from untrusted bytes: every read is bounds-checked and throws
/// `CheckpointError.corrupt` with the offset instead of trapping.
struct CheckpointByteReader {
  let bytes: UnsafeRawBufferPointer
  let file: String
  var offset = 0

  init(_ bytes: UnsafeRawBufferPointer, file: String) {
    self.bytes = bytes
    self.file = file
  }

  var remaining: Int { bytes.count - offset }

  func corrupt(_ reason: String, at position: Int? = nil) -> CheckpointError {
    .corrupt(file: file, offset: position ?? offset, reason: reason)
  }

  mutating func integer<T: FixedWidthInteger>(_: T.Type) throws(CheckpointError) -> T {
    let size = MemoryLayout<T>.size
    guard remaining >= size else {
      throw corrupt("needs \(size) more bytes, \(remaining) remain (truncated)")
    }
    let value = T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    offset += size
    return value
  }

  mutating func u8() throws(CheckpointError) -> UInt8 { try integer(UInt8.self) }
  mutating func u16() throws(CheckpointError) -> UInt16 { try integer(UInt16.self) }
  mutating func u32() throws(CheckpointError) -> UInt32 { try integer(UInt32.self) }
  mutating func u64() throws(CheckpointError) -> UInt64 { try integer(UInt64.self) }

  mutating func string() throws(CheckpointError) -> String {
    let start = offset
    let count = Int(try u16())
    guard remaining >= count else {
      throw corrupt("a string of \(count) bytes, \(remaining) remain", at: start)
    }
    let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count]), as: UTF8.self)
    offset += count
    return text
  }
}

/// `bytes.withUnsafeBytes` for a body with typed throws (the standard one rethrows
/// `any Error`).
func withCheckpointBytes<Result>(
  _ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(CheckpointError) -> Result
) throws(CheckpointError) -> Result {
  let outcome: Swift.Result<Result, CheckpointError> = bytes.withUnsafeBytes { raw in
    do throws(CheckpointError) { return .success(try body(raw)) } catch { return .failure(error) }
  }
  return try outcome.get()
}
