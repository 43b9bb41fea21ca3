/// How keys and values are laid out in a log record after its 8-byte `RecordInfo`.
///
/// Two layouts ship: `FixedSizeRecord<K, V>` (blittable keys and values, checked at
/// compile time) and `VariableLengthRecord` (byte-string keys and values, length-prefixed
/// in the record). A layout never stores a pointer in a record.
///
/// Every record size is a multiple of 8 and records are 8-byte aligned.
public protocol RecordLayout: LogRecordFormat {
  /// What callers pass as a key.
  associatedtype Key

  /// The key's hash (stable across processes: part of the on-disk format).
  static func hash(_ key: Key) -> KeyHash
  /// The hash of the key stored in the record at `record` (checkpoint recovery rebuilds
  /// the index from the log with it).
  static func keyHash(ofRecord record: UnsafeRawPointer) -> KeyHash
  /// True if the record at `record` holds `key`. The key bytes of a published record
  /// never change, so this reads them without synchronisation.
  static func keyMatches(_ key: Key, record: UnsafeRawPointer) -> Bool
  /// The size in bytes of the record at `record` (for scans and recovery).
  static func recordSize(at record: UnsafeRawPointer) -> Int
  /// The size of a tombstone record for `key`.
  static func tombstoneSize(_ key: Key) -> Int
  /// Writes `key` (and an empty value) into a freshly allocated, zeroed record.
  static func initializeTombstone(_ key: Key, record: UnsafeMutableRawPointer)
  /// Marks the live record at `record` deleted, in place.
  static func markTombstone(record: UnsafeMutableRawPointer) -> InPlaceResult
  /// Validates the layout's type parameters; called when a store opens.
  static func validateLayout() throws(FasterError)

  /// An owned copy of a key, kept by a pending operation while its I/O runs.
  associatedtype StoredKey: Sendable
  /// A value as a pending read delivers it.
  associatedtype Value
  static func storedKey(_ key: Key) -> StoredKey
  static func withKey<Result>(_ stored: StoredKey, _ body: (Key) -> Result) -> Result
  /// The value of a record read from the device (private memory: no concurrent writer)
  /// and accepted by `validateDeviceRecord`.
  static func value(ofDeviceRecord record: UnsafeRawPointer) -> Value
  /// Checks a whole record of `size` bytes read from the device into private memory, and
  /// clears its value-lock state (a flush may have copied a word locked at that moment;
  /// on the device the lock means nothing, and nobody would ever release it). Returns
  /// what is wrong when the bytes cannot be a record of this layout (e.g. a value length
  /// past the value's capacity), else nil.
  static func validateDeviceRecord(_ record: UnsafeMutableRawPointer, size: Int) -> String?
  /// Turns `size` bytes of freshly allocated space into a walkable record of that size
  /// (its header is then marked invalid by the caller).
  static func initializeFiller(record: UnsafeMutableRawPointer, size: Int)
}

/// What an in-place update of a record in the mutable region did.
@frozen
public enum InPlaceResult: Sendable {
  /// The record now holds the new value.
  case updated
  /// The record is a tombstone: treat the key as absent.
  case tombstoned
  /// The new value does not fit; write a new record at the tail.
  case noRoom
  /// The record was superseded by a newer copy; start the operation again.
  case sealed
}

/// One read, specialised per layout. `read` runs on a live (non-tombstone) record.
@usableFromInline
protocol ReadOperation {
  mutating func read(record: UnsafeMutableRawPointer) -> OperationStatus
}

/// One upsert (blind write), specialised per layout.
@usableFromInline
protocol UpsertOperation {
  /// Overwrites the value of a record in the mutable region.
  func updateInPlace(record: UnsafeMutableRawPointer) -> InPlaceResult
  /// The size of a new record with this key and value.
  var newRecordSize: Int { get }
  /// Writes key and value into a freshly allocated, zeroed record (not yet published).
  func initialize(record: UnsafeMutableRawPointer)
}

/// One read-modify-write, specialised per layout. `Sendable` because a pending RMW
/// continues on whichever thread completes it.
@usableFromInline
protocol ReadModifyWriteOperation: Sendable {
  mutating func updateInPlace(record: UnsafeMutableRawPointer, scratch: Unmanaged<ScratchBuffer>)
    -> InPlaceResult
  var initialRecordSize: Int { get }
  func initializeInitial(record: UnsafeMutableRawPointer)
  /// The size of the record that `copyUpdate` makes from `old`.
  func copyRecordSize(from old: UnsafeMutableRawPointer) -> Int
  /// Writes key and the updated value into a fresh record from the (stable) old one.
  func copyUpdate(from old: UnsafeMutableRawPointer, to record: UnsafeMutableRawPointer)
  /// Holds writers off a mutable record while it is copied. Nil if it is sealed; else a
  /// token for `endCopy`. Layouts that never copy mutable records return 0.
  func beginCopy(from old: UnsafeMutableRawPointer) -> UInt64?
  /// Releases `beginCopy`'s hold, sealing the old record if the copy was published.
  func endCopy(from old: UnsafeMutableRawPointer, token: UInt64, published: Bool)
  /// True if the old record, held by `beginCopy`, is a tombstone.
  func isTombstone(old: UnsafeMutableRawPointer) -> Bool
}

@inlinable
func roundUpToWord(_ size: Int) -> Int { (size &+ 7) & ~7 }
