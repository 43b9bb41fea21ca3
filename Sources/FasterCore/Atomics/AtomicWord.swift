import Synchronization

/// A 64-bit atomic word living in raw memory the engine owns (hash buckets, log records,
/// epoch table, log markers).
///
/// The engine keeps its shared state in raw, cache-line-aligned memory rather than in
/// class properties so that the hot path works on plain pointers: no retain/release,
/// no exclusivity checks.
///
/// Thread safety: every operation is atomic; the orderings are the caller's choice.
/// Memory orderings for `AtomicWord`. (The standard library's orderings must be literal
/// at each call; these are switched on inside inlinable code and fold away.)
@usableFromInline
enum LoadOrdering { case relaxed, acquiring, sequentiallyConsistent }
@usableFromInline
enum StoreOrdering { case relaxed, releasing, sequentiallyConsistent }
@usableFromInline
enum UpdateOrdering { case relaxed, acquiring, releasing, acquiringAndReleasing, sequentiallyConsistent }

@frozen
@usableFromInline
struct AtomicWord: @unchecked Sendable {  // a pointer to memory used only atomically
  @usableFromInline let pointer: UnsafeMutablePointer<Atomic<UInt64>>

  // Safety: `raw` must be 8-byte aligned and stay allocated while the word is used;
  // `Atomic<UInt64>` has the size and alignment of `UInt64`.
  @inlinable
  init(_ raw: UnsafeMutableRawPointer) {
    assert(UInt(bitPattern: raw) & 7 == 0, "atomic word must be 8-byte aligned")
    pointer = raw.assumingMemoryBound(to: Atomic<UInt64>.self)
  }

  @inlinable
  func load(_ ordering: LoadOrdering = .acquiring) -> UInt64 {
    switch ordering {
    case .relaxed: return pointer.pointee.load(ordering: .relaxed)
    case .acquiring: return pointer.pointee.load(ordering: .acquiring)
    case .sequentiallyConsistent: return pointer.pointee.load(ordering: .sequentiallyConsistent)
    }
  }

  @inlinable
  func store(_ value: UInt64, _ ordering: StoreOrdering = .releasing) {
    switch ordering {
    case .relaxed: pointer.pointee.store(value, ordering: .relaxed)
    case .releasing: pointer.pointee.store(value, ordering: .releasing)
    case .sequentiallyConsistent: pointer.pointee.store(value, ordering: .sequentiallyConsistent)
    }
  }

  /// Returns true when the word held `expected` and now holds `desired`.
  @inlinable
  func compareExchange(
    expected: UInt64, desired: UInt64, _ ordering: UpdateOrdering = .sequentiallyConsistent
  ) -> Bool {
    compareExchangeReturningOriginal(expected: expected, desired: desired, ordering).exchanged
  }

  /// Like `compareExchange(expected:desired:)` but also returns the value found.
  @inlinable
  func compareExchangeReturningOriginal(
    expected: UInt64, desired: UInt64, _ ordering: UpdateOrdering = .sequentiallyConsistent
  ) -> (exchanged: Bool, original: UInt64) {
    switch ordering {
    case .relaxed:
      return pointer.pointee.compareExchange(expected: expected, desired: desired, ordering: .relaxed)
    case .acquiring:
      return pointer.pointee.compareExchange(expected: expected, desired: desired, ordering: .acquiring)
    case .releasing:
      return pointer.pointee.compareExchange(expected: expected, desired: desired, ordering: .releasing)
    case .acquiringAndReleasing:
      return pointer.pointee.compareExchange(
        expected: expected, desired: desired, ordering: .acquiringAndReleasing)
    case .sequentiallyConsistent:
      return pointer.pointee.compareExchange(
        expected: expected, desired: desired, ordering: .sequentiallyConsistent)
    }
  }

  /// Adds and returns the value before the addition.
  @inlinable
  func fetchAdd(_ delta: UInt64, _ ordering: UpdateOrdering = .sequentiallyConsistent) -> UInt64 {
    switch ordering {
    case .relaxed: return pointer.pointee.wrappingAdd(delta, ordering: .relaxed).oldValue
    case .acquiring: return pointer.pointee.wrappingAdd(delta, ordering: .acquiring).oldValue
    case .releasing: return pointer.pointee.wrappingAdd(delta, ordering: .releasing).oldValue
    case .acquiringAndReleasing:
      return pointer.pointee.wrappingAdd(delta, ordering: .acquiringAndReleasing).oldValue
    case .sequentiallyConsistent:
      return pointer.pointee.wrappingAdd(delta, ordering: .sequentiallyConsistent).oldValue
    }
  }

  /// ORs `bits` in and returns the value before.
  @inlinable
  func fetchOr(_ bits: UInt64, _ ordering: UpdateOrdering = .sequentiallyConsistent) -> UInt64 {
    switch ordering {
    case .relaxed: return pointer.pointee.bitwiseOr(bits, ordering: .relaxed).oldValue
    case .acquiring: return pointer.pointee.bitwiseOr(bits, ordering: .acquiring).oldValue
    case .releasing: return pointer.pointee.bitwiseOr(bits, ordering: .releasing).oldValue
    case .acquiringAndReleasing:
      return pointer.pointee.bitwiseOr(bits, ordering: .acquiringAndReleasing).oldValue
    case .sequentiallyConsistent:
      return pointer.pointee.bitwiseOr(bits, ordering: .sequentiallyConsistent).oldValue
    }
  }

  /// Raises the word to `value` if it is lower (a monotone marker). Returns true if it moved.
  @inlinable
  @discardableResult
  func raise(to value: UInt64) -> Bool {
    var current = load(.relaxed)
    while current < value {
      let (exchanged, original) = compareExchangeReturningOriginal(expected: current, desired: value)
      if exchanged { return true }
      current = original
    }
    return false
  }
}

/// Copies `wordCount` 8-byte words with relaxed atomic loads and stores.
///
/// Used for values that other threads may read or write concurrently under a
/// `RecordValueLock` (a seqlock): plain `memcpy` there would be a data race by the
/// language's rules even though the seqlock discards torn copies.
@inlinable
func atomicCopyWords(
  from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer, wordCount: Int
) {
  var index = 0
  while index < wordCount {
    let word = AtomicWord(UnsafeMutableRawPointer(mutating: source) + index &* 8).load(.relaxed)
    AtomicWord(destination + (index &* 8)).store(word, .relaxed)
    index &+= 1
  }
}

/// Copies `byteCount` bytes from shared record memory (atomic 8-byte loads) into private
/// memory that may not be a multiple of 8 bytes long.
@inlinable
func atomicLoadBytes(from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer, byteCount: Int) {
  let fullWords = byteCount >> 3
  var index = 0
  while index < fullWords {
    let word = AtomicWord(UnsafeMutableRawPointer(mutating: source) + index &* 8).load(.relaxed)
    (destination + (index &* 8)).storeBytes(of: word, as: UInt64.self)
    index &+= 1
  }
  let remainder = byteCount & 7
  if remainder != 0 {
    var word = AtomicWord(UnsafeMutableRawPointer(mutating: source) + fullWords &* 8).load(.relaxed)
    withUnsafeBytes(of: &word) { bytes in
      (destination + (fullWords &* 8)).copyMemory(from: bytes.baseAddress!, byteCount: remainder)
    }
  }
}

/// Copies `byteCount` bytes from private memory into shared record memory with atomic
/// 8-byte stores; the last word is zero-padded. `destination` has room for whole words.
@inlinable
func atomicStoreBytes(from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer, byteCount: Int)
{
  let fullWords = byteCount >> 3
  var index = 0
  while index < fullWords {
    let word = (source + (index &* 8)).loadUnaligned(as: UInt64.self)
    AtomicWord(destination + (index &* 8)).store(word, .relaxed)
    index &+= 1
  }
  let remainder = byteCount & 7
  if remainder != 0 {
    var word: UInt64 = 0
    withUnsafeMutableBytes(of: &word) { bytes in
      bytes.baseAddress!.copyMemory(from: source + (fullWords &* 8), byteCount: remainder)
    }
    AtomicWord(destination + (fullWords &* 8)).store(word, .relaxed)
  }
}

/// An acquire fence (orders the loads before it with the loads after it).
@inlinable
func atomicAcquireFence() { atomicMemoryFence(ordering: .acquiring) }

/// A release fence (orders the loads and stores before it with the stores after it).
@inlinable
func atomicReleaseFence() { atomicMemoryFence(ordering: .releasing) }
