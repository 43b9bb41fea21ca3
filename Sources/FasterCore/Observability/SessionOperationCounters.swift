/// A session's operation counts, in memory the session owns: one word per (kind, status)
/// for the status each call returned, and one per (kind, final status) for the pending
/// operations it completed.
///
/// Hot path: counting is one relaxed load and one relaxed store of the session's own word
/// (no lock prefix, no read-modify-write: only the session's thread writes it), which
/// compiles to a plain add on x86-64 and arm64. Atomic rather than plain so that the
/// store's reader (`SessionCounterRegistry.snapshot`), on another thread, races with
/// nothing. A reader may see a count one operation behind; it never sees one torn.
@frozen
@usableFromInline
struct SessionOperationCounters {
  /// Status slots per kind. `OperationStatus` has 8 cases today; 16 leaves room for new
  /// ones (a raw value is masked into its row, never past it).
  @usableFromInline static var statusSlots: Int { 16 }
  /// Words of the issued table (every kind), then of the completed table (every kind).
  static var wordCount: Int { 2 * OperationKind.allCases.count * statusSlots }

  @usableFromInline let words: UnsafeMutableRawPointer

  /// Zeroed counters; `deallocate()` frees them.
  init() {
    let bytes = Self.wordCount * 8
    words = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
    words.initializeMemory(as: UInt64.self, repeating: 0, count: Self.wordCount)
  }

  func deallocate() { words.deallocate() }

  @inlinable
  static func slot(_ kind: OperationKind, _ status: OperationStatus) -> Int {
    Int(kind.rawValue) &* statusSlots &+ Int(status.rawValue & UInt8(statusSlots &- 1))
  }

  /// Counts the status an operation returned (`.pending` included). Session thread only.
  @inlinable
  func countIssued(_ kind: OperationKind, _ status: OperationStatus) {
    let word = AtomicWord(words + Self.slot(kind, status) &* 8)
    word.store(word.load(.relaxed) &+ 1, .relaxed)
  }

  /// Counts the final status of a pending operation. Session thread only (slow path).
  func countCompleted(_ kind: OperationKind, _ status: OperationStatus) {
    let offset = OperationKind.allCases.count * Self.statusSlots
    let word = AtomicWord(words + (offset + Self.slot(kind, status)) * 8)
    word.store(word.load(.relaxed) &+ 1, .relaxed)
  }

  /// Adds every word into `totals` (`wordCount` long). Any thread.
  func add(into totals: inout [UInt64]) {
    for index in 0..<Self.wordCount {
      totals[index] &+= AtomicWord(words + index * 8).load(.relaxed)
    }
  }
}
