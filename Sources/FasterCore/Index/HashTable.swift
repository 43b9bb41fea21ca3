/// The lock-free hash index: a power-of-two array of 64-byte `HashBucket`s, each with 7
/// `HashBucketEntry` slots and a chain of overflow buckets.
///
/// A key's hash picks the bucket (low bits) and a 14-bit tag (top bits). All keys with
/// the same bucket and tag share one entry, which points at the newest record of their
/// chain in the log; older records follow through `RecordInfo.previousAddress`.
///
/// Invariants:
/// - At most one non-tentative entry per (bucket chain, tag) (the tentative protocol in
///   `findOrCreateEntry`).
/// - An entry, once non-tentative, is never removed or retagged (until compaction or
///   index growth, which are control-plane operations).
/// - Overflow buckets are only appended to the end of a chain.
///
/// Thread safety: all methods are lock-free and safe from any thread that holds epoch
/// protection. The struct holds only pointers into memory that `HashIndex` owns.
@frozen
@usableFromInline
struct HashTable {
  @usableFromInline let buckets: UnsafeMutableRawPointer
  @usableFromInline let bucketMask: UInt64
  @usableFromInline let overflowState: UnsafeMutableRawPointer
  /// Unretained: the owning `HashIndex` keeps the allocator alive as long as any table
  /// copy is in use (sessions keep the store alive).
  @usableFromInline let overflow: Unmanaged<OverflowBucketAllocator>

  @inlinable
  init(
    buckets: UnsafeMutableRawPointer, bucketMask: UInt64, overflowState: UnsafeMutableRawPointer,
    overflow: Unmanaged<OverflowBucketAllocator>
  ) {
    self.buckets = buckets
    self.bucketMask = bucketMask
    self.overflowState = overflowState
    self.overflow = overflow
  }

  /// A slot holding an entry, with the entry's value when it was read.
  @frozen
  @usableFromInline
  struct EntrySlot {
    @usableFromInline let word: AtomicWord
    @usableFromInline var entry: HashBucketEntry

    @inlinable init(word: AtomicWord, entry: HashBucketEntry) {
      self.word = word
      self.entry = entry
    }

    /// Swings the entry from the value read to `address`. On failure, `entry` is
    /// refreshed with what the slot holds now.
    @inlinable
    mutating func compareExchange(to address: Address) -> Bool {
      let desired = entry.with(address: address)
      let (exchanged, original) = word.compareExchangeReturningOriginal(
        expected: entry.rawValue, desired: desired.rawValue, .acquiringAndReleasing)
      entry = HashBucketEntry(rawValue: exchanged ? desired.rawValue : original)
      return exchanged
    }
  }

  @inlinable
  func homeBucket(_ hash: KeyHash) -> UnsafeMutableRawPointer {
    buckets + Int(hash.bucketIndex(mask: bucketMask)) &* HashBucket.sizeBytes
  }

  @inlinable
  func nextBucket(after bucket: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
    let word = AtomicWord(bucket + HashBucket.overflowWordOffset).load(.acquiring) & Address.mask
    return word == 0 ? nil : OverflowBucketAllocator.pointer(to: word, state: overflowState)
  }

  /// The non-tentative entry for the hash's tag, or nil if there is none.
  @inlinable
  func findEntry(_ hash: KeyHash) -> EntrySlot? {
    let tag = hash.tag
    var bucket = homeBucket(hash)
    while true {
      var slotIndex = 0
      while slotIndex < HashBucket.entryCount {
        let word = AtomicWord(bucket + (slotIndex &* 8))
        let entry = HashBucketEntry(rawValue: word.load(.acquiring))
        if !entry.isEmpty && entry.tag == tag && !entry.isTentative {
          return EntrySlot(word: word, entry: entry)
        }
        slotIndex &+= 1
      }
      guard let next = nextBucket(after: bucket) else { return nil }
      bucket = next
    }
  }

  /// The entry for the hash's tag, created (pointing at `Address.invalid`) if there is
  /// none. Nil only when no overflow bucket could be allocated.
  ///
  /// The tentative protocol: claim an empty slot with a tentative entry (CAS), then scan
  /// the chain for another entry with the same tag; if there is one, another thread is
  /// inserting the tag too: withdraw and start again; otherwise clear the tentative bit.
  /// The claim and the scan are sequentially consistent, so of two racing inserters at
  /// least one sees the other.
  @inlinable
  func findOrCreateEntry(_ hash: KeyHash) -> EntrySlot? {
    let tag = hash.tag
    let home = homeBucket(hash)
    while true {
      var freeSlot: AtomicWord? = nil
      var bucket = home
      var lastBucket = home
      var probing = true
      while probing {
        var slotIndex = 0
        while slotIndex < HashBucket.entryCount {
          let word = AtomicWord(bucket + (slotIndex &* 8))
          let entry = HashBucketEntry(rawValue: word.load(.acquiring))
          if entry.isEmpty {
            if freeSlot == nil { freeSlot = word }
          } else if entry.tag == tag && !entry.isTentative {
            return EntrySlot(word: word, entry: entry)
          }
          slotIndex &+= 1
        }
        lastBucket = bucket
        if let next = nextBucket(after: bucket) { bucket = next } else { probing = false }
      }
      if freeSlot == nil {
        guard let newBucket = overflow._withUnsafeGuaranteedRef({ $0.allocate() }) else { return nil }
        let overflowWord = AtomicWord(lastBucket + HashBucket.overflowWordOffset)
        if overflowWord.compareExchange(expected: 0, desired: newBucket) {
          freeSlot = AtomicWord(OverflowBucketAllocator.pointer(to: newBucket, state: overflowState))
        } else {
          // Another thread appended a bucket first; this one stays unused (counted in
          // the allocator). Start over and use theirs.
          continue
        }
      }
      let claimed = freeSlot!
      let tentative = HashBucketEntry(address: .invalid, tag: tag, tentative: true)
      guard claimed.compareExchange(expected: 0, desired: tentative.rawValue) else { continue }
      if hasOtherEntry(tag: tag, home: home, except: claimed) {
        claimed.store(0, .sequentiallyConsistent)
        continue
      }
      let final = HashBucketEntry(address: .invalid, tag: tag, tentative: false)
      claimed.store(final.rawValue, .sequentiallyConsistent)
      return EntrySlot(word: claimed, entry: final)
    }
  }

  /// True if a slot other than `except` holds an entry (tentative or not) with `tag`.
  @inlinable
  func hasOtherEntry(tag: UInt64, home: UnsafeMutableRawPointer, except: AtomicWord) -> Bool {
    var bucket = home
    while true {
      var slotIndex = 0
      while slotIndex < HashBucket.entryCount {
        let word = AtomicWord(bucket + (slotIndex &* 8))
        if word.pointer != except.pointer {
          let entry = HashBucketEntry(rawValue: word.load(.sequentiallyConsistent))
          if !entry.isEmpty && entry.tag == tag { return true }
        }
        slotIndex &+= 1
      }
      // Sequentially consistent like the slot loads: a bucket appended by a racing
      // inserter must be seen if its claim precedes this scan (x86 gives that anyway).
      let word =
        AtomicWord(bucket + HashBucket.overflowWordOffset).load(.sequentiallyConsistent) & Address.mask
      guard word != 0 else { return false }
      bucket = OverflowBucketAllocator.pointer(to: word, state: overflowState)
    }
  }
}
