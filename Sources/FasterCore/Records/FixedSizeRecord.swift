/// The record layout of a store with fixed-size, blittable keys and values.
///
/// Layout (every part 8-byte aligned, sizes rounded up to 8):
///
///     [RecordInfo 8][key K][value V]                    when V is at most 8 bytes
///     [RecordInfo 8][key K][RecordValueLock 8][value V] when V is wider
///
/// Values of up to 8 bytes sit in one word read and written with atomic loads, stores
/// and CAS: an in-place RMW is a CAS loop, lock-free. Wider values are read and written
/// under the record's `RecordValueLock`.
///
/// Identity is bytes: keys are hashed and compared byte-wise (see `Blittable`).
public enum FixedSizeRecord<K: Blittable, V: Blittable>: RecordLayout {
  public typealias Key = K
  public typealias Value = V

  @inlinable static var keyOffset: Int { 8 }
  @inlinable static var keySlotSize: Int { roundUpToWord(MemoryLayout<K>.size) }
  @inlinable static var valueIsWord: Bool { MemoryLayout<V>.size <= 8 }
  @inlinable static var lockOffset: Int { 8 &+ keySlotSize }
  @inlinable static var valueOffset: Int { 8 &+ keySlotSize &+ (valueIsWord ? 0 : 8) }
  /// At least one word: a zero-size value type (a key-only set) still gets a slot, so
  /// the word-wide value stores never reach the next record.
  @inlinable static var valueSlotSize: Int { roundUpToWord(Swift.max(1, MemoryLayout<V>.size)) }
  /// The size of every record of this layout.
  @inlinable public static var size: Int { valueOffset &+ valueSlotSize }

  public typealias StoredKey = K
  @inlinable public static func storedKey(_ key: K) -> K { key }
  @inlinable public static func withKey<Result>(_ stored: K, _ body: (K) -> Result) -> Result { body(stored) }
  @inlinable public static var initialReadSize: Int { size }

  public static func value(ofDeviceRecord record: UnsafeRawPointer) -> V {
    (record + valueOffset).loadUnaligned(as: V.self)
  }

  public static func storedRecordSize(at record: UnsafeRawPointer, available: Int) -> StoredRecordSize {
    .size(size)
  }

  public static func validateDeviceRecord(_ record: UnsafeMutableRawPointer, size: Int) -> String? {
    guard size == Self.size else { return "\(size) bytes, but records of this store are \(Self.size)" }
    if !valueIsWord {
      let lock = record + lockOffset
      lock.storeBytes(of: RecordValueLock.unlockedForPrivateCopy(lock.load(as: UInt64.self)), as: UInt64.self)
    }
    return nil
  }

  @inlinable
  public static func initializeFiller(record: UnsafeMutableRawPointer, size: Int) {
    assert(size == Self.size, "fixed-size records have one size")
  }

  public static func validateLayout() throws(FasterError) {
    guard MemoryLayout<K>.alignment <= 8, MemoryLayout<V>.alignment <= 8 else {
      throw .invalidConfiguration(
        "key type \(K.self) (alignment \(MemoryLayout<K>.alignment)) and value type \(V.self) (alignment \(MemoryLayout<V>.alignment)) must have alignment of at most 8"
      )
    }
  }

  @inlinable
  public static func hash(_ key: K) -> KeyHash {
    if MemoryLayout<K>.size == 8 {
      return KeyHash(KeyHasher.hash(word: unsafeBitCast(key, to: UInt64.self)))
    }
    return withUnsafeBytes(of: key) { KeyHash(KeyHasher.hash(bytes: $0)) }
  }

  public static func keyHash(ofRecord record: UnsafeRawPointer) -> KeyHash {
    hash(record.loadUnaligned(fromByteOffset: keyOffset, as: K.self))
  }

  @inlinable
  public static func keyMatches(_ key: K, record: UnsafeRawPointer) -> Bool {
    if MemoryLayout<K>.size == 8 {
      return (record + keyOffset).load(as: UInt64.self) == unsafeBitCast(key, to: UInt64.self)
    }
    return withUnsafeBytes(of: key) { keyBytes in
      keyBytes.elementsEqual(UnsafeRawBufferPointer(start: record + keyOffset, count: MemoryLayout<K>.size))
    }
  }

  @inlinable public static func recordSize(at record: UnsafeRawPointer) -> Int { size }
  @inlinable public static func tombstoneSize(_ key: K) -> Int { size }

  @inlinable
  public static func initializeTombstone(_ key: K, record: UnsafeMutableRawPointer) {
    writeKey(key, record: record)
  }

  @inlinable
  public static func markTombstone(record: UnsafeMutableRawPointer) -> InPlaceResult {
    _ = AtomicWord(record).fetchOr(RecordInfo.tombstoneBit, .acquiringAndReleasing)
    return .updated
  }

  @inlinable
  static func writeKey(_ key: K, record: UnsafeMutableRawPointer) {
    (record + keyOffset).storeBytes(of: key, as: K.self)
  }

  // MARK: Value access

  @inlinable
  static func word(of value: V) -> UInt64 {
    if MemoryLayout<V>.size == 8 { return unsafeBitCast(value, to: UInt64.self) }
    var word: UInt64 = 0
    withUnsafeMutableBytes(of: &word) { $0.storeBytes(of: value, as: V.self) }
    return word
  }

  @inlinable
  static func value(of word: UInt64) -> V {
    if MemoryLayout<V>.size == 8 { return unsafeBitCast(word, to: V.self) }
    return withUnsafeBytes(of: word) { $0.loadUnaligned(as: V.self) }
  }

  /// Reads the value of a published record (consistent even under concurrent writers).
  @inlinable
  static func loadValue(record: UnsafeMutableRawPointer) -> V {
    if valueIsWord {
      return value(of: AtomicWord(record + valueOffset).load(.acquiring))
    }
    let lock = AtomicWord(record + lockOffset)
    var result: V
    repeat {
      let state = RecordValueLock.beginRead(lock)
      result = withUnsafeTemporaryAllocation(of: UInt64.self, capacity: valueSlotSize >> 3) { words in
        atomicLoadBytes(from: record + valueOffset, to: words.baseAddress!, byteCount: valueSlotSize)
        return UnsafeRawPointer(words.baseAddress!).loadUnaligned(as: V.self)
      }
      if RecordValueLock.validateRead(lock, state) { return result }
    } while true
  }

  /// Writes the value of an unpublished record (no other thread can see it yet).
  @inlinable
  static func initializeValue(_ value: V, record: UnsafeMutableRawPointer) {
    (record + valueOffset).storeBytes(of: value, as: V.self)
  }

  /// Stores the value of a published record in place.
  @inlinable
  static func storeValue(_ value: V, record: UnsafeMutableRawPointer) {
    if valueIsWord {
      AtomicWord(record + valueOffset).store(word(of: value), .releasing)
      return
    }
    let lock = AtomicWord(record + lockOffset)
    guard let state = RecordValueLock.lock(lock) else { return }  // never sealed: see below
    withUnsafeBytes(of: value) { bytes in
      atomicStoreBytes(from: bytes.baseAddress!, to: record + valueOffset, byteCount: MemoryLayout<V>.size)
    }
    RecordValueLock.unlock(lock, lockedFrom: state, length: 0)
  }
  // Fixed-size values always fit in place, so a fixed-size record in the mutable region
  // is never copied and never sealed.
}

/// A read-modify-write for a store of fixed-size values: the initial value for a key
/// that has none, and the update of an existing value.
///
/// `updated` must be a pure function of its argument: for values of up to 8 bytes an
/// in-place update is a CAS loop that may call it more than once.
public protocol FixedSizeUpdate: Sendable {
  associatedtype Value: Blittable
  /// The value stored when the key has no live record.
  func initialValue() -> Value
  /// The new value computed from the current one.
  func updated(_ old: Value) -> Value
}

@frozen
@usableFromInline
struct FixedSizeRead<K: Blittable, V: Blittable>: ReadOperation {
  @usableFromInline var value: V?

  @inlinable init() {}

  @inlinable
  mutating func read(record: UnsafeMutableRawPointer) -> OperationStatus {
    value = FixedSizeRecord<K, V>.loadValue(record: record)
    return .ok
  }
}

@frozen
@usableFromInline
struct FixedSizeUpsert<K: Blittable, V: Blittable>: UpsertOperation {
  @usableFromInline typealias Layout = FixedSizeRecord<K, V>
  @usableFromInline let key: K
  @usableFromInline let value: V

  @inlinable init(key: K, value: V) {
    self.key = key
    self.value = value
  }

  @inlinable
  func updateInPlace(record: UnsafeMutableRawPointer) -> InPlaceResult {
    Layout.storeValue(value, record: record)
    return .updated
  }

  @inlinable var newRecordSize: Int { Layout.size }

  @inlinable
  func initialize(record: UnsafeMutableRawPointer) {
    Layout.writeKey(key, record: record)
    Layout.initializeValue(value, record: record)
  }
}

@frozen
@usableFromInline
struct FixedSizeReadModifyWrite<K: Blittable, U: FixedSizeUpdate>: ReadModifyWriteOperation {
  @usableFromInline typealias Layout = FixedSizeRecord<K, U.Value>
  @usableFromInline let key: K
  @usableFromInline let update: U

  @inlinable init(key: K, update: U) {
    self.key = key
    self.update = update
  }

  @inlinable
  mutating func updateInPlace(record: UnsafeMutableRawPointer, scratch: Unmanaged<ScratchBuffer>)
    -> InPlaceResult
  {
    if Layout.valueIsWord {
      let word = AtomicWord(record + Layout.valueOffset)
      var current = word.load(.acquiring)
      while true {
        let desired = Layout.word(of: update.updated(Layout.value(of: current)))
        let (exchanged, original) = word.compareExchangeReturningOriginal(
          expected: current, desired: desired, .acquiringAndReleasing)
        if exchanged { return .updated }
        current = original
      }
    }
    let lock = AtomicWord(record + Layout.lockOffset)
    guard let state = RecordValueLock.lock(lock) else { return .sealed }
    let old = Layout.value(ofLockedRecord: record)
    let new = update.updated(old)
    withUnsafeBytes(of: new) { bytes in
      atomicStoreBytes(
        from: bytes.baseAddress!, to: record + Layout.valueOffset, byteCount: MemoryLayout<U.Value>.size)
    }
    RecordValueLock.unlock(lock, lockedFrom: state, length: 0)
    return .updated
  }

  @inlinable var initialRecordSize: Int { Layout.size }

  @inlinable
  func initializeInitial(record: UnsafeMutableRawPointer) {
    Layout.writeKey(key, record: record)
    Layout.initializeValue(update.initialValue(), record: record)
  }

  @inlinable
  func copyRecordSize(from old: UnsafeMutableRawPointer) -> Int { Layout.size }

  @inlinable
  func copyUpdate(from old: UnsafeMutableRawPointer, to record: UnsafeMutableRawPointer) {
    Layout.writeKey(key, record: record)
    Layout.initializeValue(update.updated(Layout.loadValue(record: old)), record: record)
  }

  @inlinable func beginCopy(from old: UnsafeMutableRawPointer) -> UInt64? { 0 }
  @inlinable func endCopy(from old: UnsafeMutableRawPointer, token: UInt64, published: Bool) {}
  @inlinable
  func isTombstone(old: UnsafeMutableRawPointer) -> Bool {
    RecordInfo(rawValue: AtomicWord(old).load(.acquiring)).isTombstone
  }
}

extension FixedSizeRecord {
  /// The value of a record whose lock the caller holds.
  @inlinable
  static func value(ofLockedRecord record: UnsafeMutableRawPointer) -> V {
    withUnsafeTemporaryAllocation(of: UInt64.self, capacity: valueSlotSize >> 3) { words in
      atomicLoadBytes(from: record + valueOffset, to: words.baseAddress!, byteCount: valueSlotSize)
      return UnsafeRawPointer(words.baseAddress!).loadUnaligned(as: V.self)
    }
  }
}
