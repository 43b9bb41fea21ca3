import CFasterShims
import Synchronization

/// A per-record generation lock (a seqlock) for values wider than one atomic word,
/// as FASTER C++'s `GenLock`.
///
/// Bit layout of the lock word:
///
///     63                34   33      32       31                 0
///     [ generation (30)   ][sealed][locked ][ value length (32)  ]
///
/// Writers (in-place update, delete, copy-out of a mutable record) CAS `locked` on, issue
/// a release fence, write with atomic word stores, and store the word back (release) with
/// the generation incremented.
/// Readers never write: they read the word, copy the value with atomic loads, and retry
/// if the word changed. `sealed` marks a record superseded by a newer copy; in-place
/// writers that find it start their operation again from the index.
///
/// Thread safety: all functions are safe from any thread; the lock is held for the
/// duration of one value copy only.
@usableFromInline
enum RecordValueLock {
  @inlinable static var lengthMask: UInt64 { 0xFFFF_FFFF }
  @inlinable static var lockedBit: UInt64 { 1 << 32 }
  @inlinable static var sealedBit: UInt64 { 1 << 33 }
  @inlinable static var generationUnit: UInt64 { 1 << 34 }

  /// Takes the lock; returns the word before locking, or nil if the record is sealed.
  @inlinable
  static func lock(_ word: AtomicWord) -> UInt64? {
    while true {
      let state = word.load(.relaxed)
      if state & sealedBit != 0 { return nil }
      if state & lockedBit != 0 {
        cfaster_spin_pause()
        continue
      }
      if word.compareExchange(expected: state, desired: state | lockedBit, .acquiring) {
        // The value stores that follow must not become visible before the locked word:
        // a reader that saw a new value word with the old lock word would validate a torn
        // copy. A release fence orders the lock store before them on weak memory models
        // (ARM); it pairs with the acquire fence in `validateRead`. (x86: no instruction.)
        atomicReleaseFence()
        return state
      }
    }
  }

  /// The word of a record copied into private memory (read from the device), with the
  /// lock state cleared: a flush may have copied a word locked at that moment, and in a
  /// private copy nobody would ever release it.
  @inlinable
  static func unlockedForPrivateCopy(_ state: UInt64) -> UInt64 {
    state & ~(lockedBit | sealedBit)
  }

  /// Releases the lock taken when the word was `state`, publishing `length` and, if
  /// `seal`, marking the record superseded.
  @inlinable
  static func unlock(_ word: AtomicWord, lockedFrom state: UInt64, length: UInt64, seal: Bool = false) {
    let generation = (state & ~(lengthMask | lockedBit | sealedBit)) &+ generationUnit
    word.store(generation | length | (seal ? sealedBit : 0), .releasing)
  }

  /// Starts a read: waits out a writer and returns the word to validate against.
  @inlinable
  static func beginRead(_ word: AtomicWord) -> UInt64 {
    while true {
      let state = word.load(.acquiring)
      if state & lockedBit == 0 { return state }
      cfaster_spin_pause()
    }
  }

  /// True if no writer ran since `beginRead` returned `state`.
  @inlinable
  static func validateRead(_ word: AtomicWord, _ state: UInt64) -> Bool {
    atomicAcquireFence()
    return word.load(.relaxed) == state
  }
}
