import FasterCore

/// The engine RMW behind a YCSB update: overwrites one field (or all) of a record in place, or
/// in a copy when the record is read-only. A record that does not exist yet is created
/// zero-filled with the field written (the dictionary baseline does the same).
///
/// A view over the worker's buffers, valid only during the `rmw` call; no allocation.
struct FieldUpdate: ByteUpdate {
  /// The bytes written and where they go in the record.
  let bytes: UnsafeRawBufferPointer
  let offset: Int
  /// The full record length (`fieldcount x fieldlength`).
  let recordLength: Int

  @inline(__always)
  func initialLength() -> Int { recordLength }

  @inline(__always)
  func writeInitial(into value: UnsafeMutableRawBufferPointer) {
    value.initializeMemory(as: UInt8.self, repeating: 0)
    write(into: value)
  }

  @inline(__always)
  func updateInPlace(_ value: UnsafeMutableRawBufferPointer, length: inout Int) -> Bool {
    guard offset &+ bytes.count <= length else { return false }
    write(into: value)
    return true
  }

  @inline(__always)
  func copyLength(old: UnsafeRawBufferPointer) -> Int { max(old.count, offset &+ bytes.count) }

  @inline(__always)
  func copyUpdate(old: UnsafeRawBufferPointer, into new: UnsafeMutableRawBufferPointer) {
    // Safety: new.count == copyLength(old:) >= old.count and >= offset + bytes.count.
    new.baseAddress!.copyMemory(from: old.baseAddress!, byteCount: old.count)
    if new.count > old.count {
      (new.baseAddress! + old.count).initializeMemory(as: UInt8.self, repeating: 0, count: new.count - old.count)
    }
    write(into: new)
  }

  @inline(__always)
  private func write(into value: UnsafeMutableRawBufferPointer) {
    // Safety: callers check offset + bytes.count against the value's length or capacity.
    (value.baseAddress! + offset).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
  }
}
