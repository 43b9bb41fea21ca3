/// The data an insert, update or read-modify-write writes, prepared by the runner from the
/// thread's generator before the operation is timed. A view over the worker thread's own buffer:
/// valid only during the call it is passed to.
public struct RecordPayload {
  /// The compact-mode value (8 bytes).
  public var value: UInt64
  /// The whole ycsb-mode record (`fieldCount x fieldLength` bytes); the fields being written hold
  /// fresh bytes. Empty in compact mode.
  public var record: UnsafeRawBufferPointer
  /// The field an update writes, or -1 when it writes every field (inserts, `writeallfields`).
  public var fieldIndex: Int
  /// Bytes per field.
  public var fieldLength: Int
  /// The seed the written bytes were generated from (``FieldFiller``): a binding whose write may
  /// complete later (an engine RMW that goes pending) regenerates the bytes from it instead of
  /// keeping a pointer into this thread's buffer.
  public var fieldSeed: UInt64

  @inline(__always)
  public init(
    value: UInt64, record: UnsafeRawBufferPointer, fieldIndex: Int, fieldLength: Int, fieldSeed: UInt64 = 0
  ) {
    self.value = value
    self.record = record
    self.fieldIndex = fieldIndex
    self.fieldLength = fieldLength
    self.fieldSeed = fieldSeed
  }

  /// The bytes being written and their offset within the record: one field, or all of them.
  @inline(__always)
  public var writtenBytes: (offset: Int, bytes: UnsafeRawBufferPointer) {
    if fieldIndex < 0 { return (0, record) }
    let offset = fieldIndex &* fieldLength
    return (offset, UnsafeRawBufferPointer(rebasing: record[offset..<(offset &+ fieldLength)]))
  }
}
