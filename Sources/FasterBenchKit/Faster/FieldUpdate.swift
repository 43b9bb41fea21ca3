import FasterCore

/// The engine RMW behind a YCSB update: overwrites one field (or all) of a record in place, or
/// in a copy when the record is read-only. A record that does not exist yet is created
/// zero-filled with the field written (the dictionary baseline does the same).
///
/// Carries the written bytes as their ``FieldFiller`` seed, not as a pointer into the worker's
/// buffer: the update is a small value (Sendable, no allocation) that stays valid if the engine
/// completes the operation later (`.pending`), after the buffer has been reused.
struct FieldUpdate: ByteUpdate {
  /// Where the written bytes go in the record, and how many.
  let offset: Int
  let byteCount: Int
  /// The seed of the written bytes (``RecordPayload/fieldSeed``).
  let seed: UInt64
  /// The full record length (`fieldcount x fieldlength`).
  let recordLength: Int

  @inline(__always)
  init(_ payload: RecordPayload) {
    let (offset, bytes) = payload.writtenBytes
    self.offset = offset
    byteCount = bytes.count
    seed = payload.fieldSeed
    recordLength = payload.record.count
  }

  @inline(__always)
  func initialLength() -> Int { recordLength }

  @inline(__always)
  func writeInitial(into value: UnsafeMutableRawBufferPointer) {
    value.initializeMemory(as: UInt8.self, repeating: 0)
    write(into: value)
  }

  @inline(__always)
  func updateInPlace(_ value: UnsafeMutableRawBufferPointer, length: inout Int) -> Bool {
    guard offset &+ byteCount <= length else { return false }
    write(into: value)
    return true
  }

  @inline(__always)
  func copyLength(old: UnsafeRawBufferPointer) -> Int { max(old.count, offset &+ byteCount) }

  @inline(__always)
  func copyUpdate(old: UnsafeRawBufferPointer, into new: UnsafeMutableRawBufferPointer) {
    // Safety: new.count == copyLength(old:) >= old.count and >= offset + byteCount.
    if let source = old.baseAddress, old.count > 0 {
      new.baseAddress!.copyMemory(from: source, byteCount: old.count)
    }
    if new.count > old.count {
      (new.baseAddress! + old.count).initializeMemory(
        as: UInt8.self, repeating: 0, count: new.count - old.count)
    }
    write(into: new)
  }

  @inline(__always)
  private func write(into value: UnsafeMutableRawBufferPointer) {
    // Safety: callers check offset + byteCount against the value's length or capacity.
    FieldFiller.fill(
      UnsafeMutableRawBufferPointer(rebasing: value[offset..<(offset &+ byteCount)]), seed: seed)
  }
}
