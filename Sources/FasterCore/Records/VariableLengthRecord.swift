#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The record layout of a store with byte-string keys and values, serialized into the
/// record (never a pointer).
///
/// Layout (8-byte words; key and value areas rounded up to 8):
///
///     [RecordInfo 8][key length u32 | value capacity u32][RecordValueLock 8][key][value]
///
/// The value area has a fixed capacity (the first value's length rounded up to 8); the
/// current length lives in the lock word, so an in-place update may shrink or grow the
/// value within the capacity. A longer value is written as a new record at the tail and
/// the old record is sealed (`RecordValueLock`).
public enum VariableLengthRecord: RecordLayout {
  public typealias Key = UnsafeRawBufferPointer

  @inlinable static var lengthsOffset: Int { 8 }
  @inlinable static var lockOffset: Int { 16 }
  @inlinable static var keyOffset: Int { 24 }
  /// Largest key or value length.
  @inlinable public static var maxLength: Int { Int(UInt32.max) }

  public static func validateLayout() throws(FasterError) {}

  public typealias StoredKey = [UInt8]
  public typealias Value = [UInt8]
  public static func storedKey(_ key: UnsafeRawBufferPointer) -> [UInt8] { Array(key) }
  public static func withKey<Result>(_ stored: [UInt8], _ body: (UnsafeRawBufferPointer) -> Result) -> Result
  {
    stored.withUnsafeBytes(body)
  }
  /// Header, sizes and lock words, plus a typical small key and value.
  public static var initialReadSize: Int { 512 }

  public static func value(ofDeviceRecord record: UnsafeRawPointer) -> [UInt8] {
    // The lock word's length is current; its lock bits are stale on the device.
    let length = Int((record + lockOffset).load(as: UInt64.self) & RecordValueLock.lengthMask)
    let value = record + valueOffset(keyLength: keyLength(record: record))
    return Array(UnsafeRawBufferPointer(start: value, count: length))
  }

  public static func storedRecordSize(at record: UnsafeRawPointer, available: Int) -> StoredRecordSize {
    guard available >= keyOffset else { return .needsBytes(keyOffset) }
    let capacity = valueCapacity(record: record)
    guard capacity & 7 == 0 else {
      return .corrupt("value capacity \(capacity) is not a multiple of 8")
    }
    return .size(recordSize(keyLength: keyLength(record: record), valueCapacity: capacity))
  }

  public static func validateDeviceRecord(_ record: UnsafeMutableRawPointer, size: Int) -> String? {
    guard size >= keyOffset, recordSize(at: record) == size else {
      return "its key and value lengths do not add up to its \(size) bytes"
    }
    let lock = record + lockOffset
    let word = lock.load(as: UInt64.self)
    let length = Int(word & RecordValueLock.lengthMask)
    let capacity = valueCapacity(record: record)
    guard length <= capacity else {
      return "value length \(length) exceeds its capacity \(capacity)"
    }
    lock.storeBytes(of: RecordValueLock.unlockedForPrivateCopy(word), as: UInt64.self)
    return nil
  }

  @inlinable
  public static func initializeFiller(record: UnsafeMutableRawPointer, size: Int) {
    // An empty key and a value area that fills the space: recordSize(at:) == size.
    (record + lengthsOffset).storeBytes(
      of: UInt64(truncatingIfNeeded: size - keyOffset) << 32, as: UInt64.self)
  }

  @inlinable
  public static func hash(_ key: UnsafeRawBufferPointer) -> KeyHash { KeyHash(KeyHasher.hash(bytes: key)) }

  @inlinable
  static func keyLength(record: UnsafeRawPointer) -> Int {
    Int((record + lengthsOffset).load(as: UInt64.self) & 0xFFFF_FFFF)
  }

  @inlinable
  static func valueCapacity(record: UnsafeRawPointer) -> Int {
    Int((record + lengthsOffset).load(as: UInt64.self) >> 32)
  }

  @inlinable
  static func valueOffset(keyLength: Int) -> Int { keyOffset &+ roundUpToWord(keyLength) }

  @inlinable
  static func recordSize(keyLength: Int, valueCapacity: Int) -> Int {
    keyOffset &+ roundUpToWord(keyLength) &+ valueCapacity
  }

  public static func keyHash(ofRecord record: UnsafeRawPointer) -> KeyHash {
    hash(UnsafeRawBufferPointer(start: record + keyOffset, count: keyLength(record: record)))
  }

  @inlinable
  public static func keyMatches(_ key: UnsafeRawBufferPointer, record: UnsafeRawPointer) -> Bool {
    guard keyLength(record: record) == key.count else { return false }
    guard let base = key.baseAddress else { return true }
    return memcmp(base, record + keyOffset, key.count) == 0
  }

  @inlinable
  public static func recordSize(at record: UnsafeRawPointer) -> Int {
    recordSize(keyLength: keyLength(record: record), valueCapacity: valueCapacity(record: record))
  }

  @inlinable
  public static func tombstoneSize(_ key: UnsafeRawBufferPointer) -> Int {
    recordSize(keyLength: key.count, valueCapacity: 0)
  }

  @inlinable
  public static func initializeTombstone(_ key: UnsafeRawBufferPointer, record: UnsafeMutableRawPointer) {
    writeKey(key, valueCapacity: 0, record: record)
  }

  @inlinable
  public static func markTombstone(record: UnsafeMutableRawPointer) -> InPlaceResult {
    let lock = AtomicWord(record + lockOffset)
    guard let state = RecordValueLock.lock(lock) else { return .sealed }
    _ = AtomicWord(record).fetchOr(RecordInfo.tombstoneBit, .acquiringAndReleasing)
    RecordValueLock.unlock(lock, lockedFrom: state, length: state & RecordValueLock.lengthMask)
    return .updated
  }

  /// Writes the lengths word and the key of a fresh record; the value length is 0.
  @inlinable
  static func writeKey(_ key: UnsafeRawBufferPointer, valueCapacity: Int, record: UnsafeMutableRawPointer) {
    (record + lengthsOffset).storeBytes(
      of: UInt64(truncatingIfNeeded: key.count) | UInt64(truncatingIfNeeded: valueCapacity) << 32,
      as: UInt64.self)
    if let base = key.baseAddress {
      (record + keyOffset).copyMemory(from: base, byteCount: key.count)
    }
  }

  /// Sets the value length of a fresh record (not yet published).
  @inlinable
  static func initializeValueLength(_ length: Int, record: UnsafeMutableRawPointer) {
    (record + lockOffset).storeBytes(of: UInt64(truncatingIfNeeded: length), as: UInt64.self)
  }

  @inlinable
  static func valuePointer(record: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
    record + valueOffset(keyLength: keyLength(record: record))
  }
}

/// A read-modify-write for a store of byte-string values: FASTER's three functions.
///
/// In-place updates run on a private copy of the value that is written back atomically,
/// so an update never races a reader.
public protocol ByteUpdate: Sendable {
  /// Length of the value stored when the key has no live record.
  func initialLength() -> Int
  /// Writes that value (`value.count == initialLength()`).
  func writeInitial(into value: UnsafeMutableRawBufferPointer)
  /// Updates the value in place: `value` spans the record's capacity and holds the
  /// current value in its first `length` bytes; set `length` to the new length. Return
  /// false if the result does not fit (nothing is written; `copyUpdate` runs instead).
  func updateInPlace(_ value: UnsafeMutableRawBufferPointer, length: inout Int) -> Bool
  /// Length of the value `copyUpdate` makes from `old`.
  func copyLength(old: UnsafeRawBufferPointer) -> Int
  /// Writes the updated value computed from `old` (`new.count == copyLength(old:)`).
  func copyUpdate(old: UnsafeRawBufferPointer, into new: UnsafeMutableRawBufferPointer)
}

@frozen
@usableFromInline
struct VariableLengthRead: ReadOperation {
  @usableFromInline let buffer: UnsafeMutableRawBufferPointer
  @usableFromInline var valueLength: Int = 0

  @inlinable init(buffer: UnsafeMutableRawBufferPointer) { self.buffer = buffer }

  @inlinable
  mutating func read(record: UnsafeMutableRawPointer) -> OperationStatus {
    let lock = AtomicWord(record + VariableLengthRecord.lockOffset)
    let value = VariableLengthRecord.valuePointer(record: record)
    while true {
      let state = RecordValueLock.beginRead(lock)
      let length = Int(state & RecordValueLock.lengthMask)
      if length > buffer.count {
        valueLength = length
        return .bufferTooSmall
      }
      if length > 0 { atomicLoadBytes(from: value, to: buffer.baseAddress!, byteCount: length) }
      if RecordValueLock.validateRead(lock, state) {
        valueLength = length
        return .ok
      }
    }
  }
}

@frozen
@usableFromInline
struct VariableLengthUpsert: UpsertOperation {
  @usableFromInline let key: UnsafeRawBufferPointer
  @usableFromInline let value: UnsafeRawBufferPointer

  @inlinable init(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
    self.key = key
    self.value = value
  }

  @inlinable
  func updateInPlace(record: UnsafeMutableRawPointer) -> InPlaceResult {
    guard value.count <= VariableLengthRecord.valueCapacity(record: record) else { return .noRoom }
    let lock = AtomicWord(record + VariableLengthRecord.lockOffset)
    guard let state = RecordValueLock.lock(lock) else { return .sealed }
    if RecordInfo(rawValue: AtomicWord(record).load(.acquiring)).isTombstone {
      RecordValueLock.unlock(lock, lockedFrom: state, length: state & RecordValueLock.lengthMask)
      return .tombstoned
    }
    if let base = value.baseAddress {
      atomicStoreBytes(
        from: base, to: VariableLengthRecord.valuePointer(record: record), byteCount: value.count)
    }
    RecordValueLock.unlock(lock, lockedFrom: state, length: UInt64(truncatingIfNeeded: value.count))
    return .updated
  }

  @inlinable
  var newRecordSize: Int {
    VariableLengthRecord.recordSize(keyLength: key.count, valueCapacity: roundUpToWord(value.count))
  }

  @inlinable
  func initialize(record: UnsafeMutableRawPointer) {
    VariableLengthRecord.writeKey(key, valueCapacity: roundUpToWord(value.count), record: record)
    VariableLengthRecord.initializeValueLength(value.count, record: record)
    if let base = value.baseAddress {
      VariableLengthRecord.valuePointer(record: record).copyMemory(from: base, byteCount: value.count)
    }
  }
}

@frozen
@usableFromInline
struct VariableLengthReadModifyWrite<U: ByteUpdate>: ReadModifyWriteOperation, @unchecked Sendable {
  // @unchecked Sendable: `key` points at memory the pending operation owns (see
  // `PendingOperation`); `U` is the caller's update, run on the completing thread.
  @usableFromInline let key: UnsafeRawBufferPointer
  @usableFromInline let update: U
  @inlinable init(key: UnsafeRawBufferPointer, update: U) {
    self.key = key
    self.update = update
  }

  @inlinable
  mutating func updateInPlace(record: UnsafeMutableRawPointer, scratch: Unmanaged<ScratchBuffer>)
    -> InPlaceResult
  {
    let capacity = VariableLengthRecord.valueCapacity(record: record)
    let buffer = scratch._withUnsafeGuaranteedRef { $0.buffer(atLeast: capacity) }
    let lock = AtomicWord(record + VariableLengthRecord.lockOffset)
    guard let state = RecordValueLock.lock(lock) else { return .sealed }
    let currentLength = Int(state & RecordValueLock.lengthMask)
    if RecordInfo(rawValue: AtomicWord(record).load(.acquiring)).isTombstone {
      RecordValueLock.unlock(lock, lockedFrom: state, length: UInt64(truncatingIfNeeded: currentLength))
      return .tombstoned
    }
    let value = VariableLengthRecord.valuePointer(record: record)
    atomicLoadBytes(from: value, to: buffer, byteCount: currentLength)
    var length = currentLength
    let fits = update.updateInPlace(
      UnsafeMutableRawBufferPointer(start: buffer, count: capacity), length: &length)
    if fits {
      precondition(
        length >= 0 && length <= capacity, "ByteUpdate.updateInPlace set a length beyond the capacity")
      atomicStoreBytes(from: buffer, to: value, byteCount: length)
    }
    RecordValueLock.unlock(
      lock, lockedFrom: state, length: UInt64(truncatingIfNeeded: fits ? length : currentLength))
    return fits ? .updated : .noRoom
  }

  @inlinable
  var initialRecordSize: Int {
    VariableLengthRecord.recordSize(
      keyLength: key.count, valueCapacity: roundUpToWord(update.initialLength()))
  }

  @inlinable
  func initializeInitial(record: UnsafeMutableRawPointer) {
    let length = update.initialLength()
    VariableLengthRecord.writeKey(key, valueCapacity: roundUpToWord(length), record: record)
    VariableLengthRecord.initializeValueLength(length, record: record)
    update.writeInitial(
      into: UnsafeMutableRawBufferPointer(
        start: VariableLengthRecord.valuePointer(record: record), count: length))
  }

  @inlinable
  func oldValue(_ old: UnsafeMutableRawPointer) -> UnsafeRawBufferPointer {
    let length = Int(
      AtomicWord(old + VariableLengthRecord.lockOffset).load(.acquiring) & RecordValueLock.lengthMask)
    return UnsafeRawBufferPointer(start: VariableLengthRecord.valuePointer(record: old), count: length)
  }

  @inlinable
  func copyRecordSize(from old: UnsafeMutableRawPointer) -> Int {
    VariableLengthRecord.recordSize(
      keyLength: key.count, valueCapacity: roundUpToWord(update.copyLength(old: oldValue(old))))
  }

  @inlinable
  func copyUpdate(from old: UnsafeMutableRawPointer, to record: UnsafeMutableRawPointer) {
    let source = oldValue(old)
    let length = update.copyLength(old: source)
    VariableLengthRecord.writeKey(key, valueCapacity: roundUpToWord(length), record: record)
    VariableLengthRecord.initializeValueLength(length, record: record)
    update.copyUpdate(
      old: source,
      into: UnsafeMutableRawBufferPointer(
        start: VariableLengthRecord.valuePointer(record: record), count: length))
  }

  @inlinable
  func beginCopy(from old: UnsafeMutableRawPointer) -> UInt64? {
    RecordValueLock.lock(AtomicWord(old + VariableLengthRecord.lockOffset))
  }

  @inlinable
  func endCopy(from old: UnsafeMutableRawPointer, token: UInt64, published: Bool) {
    RecordValueLock.unlock(
      AtomicWord(old + VariableLengthRecord.lockOffset), lockedFrom: token,
      length: token & RecordValueLock.lengthMask, seal: published)
  }

  @inlinable
  func isTombstone(old: UnsafeMutableRawPointer) -> Bool {
    RecordInfo(rawValue: AtomicWord(old).load(.acquiring)).isTombstone
  }
}
