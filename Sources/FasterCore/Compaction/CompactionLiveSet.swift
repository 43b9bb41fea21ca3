#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The scan method's live set: for each distinct key of the compacted range, the address
/// of its newest record in the range, or "superseded" once a newer record of the key is
/// seen above the range.
///
/// Built without an allocation per record: an open-addressing table (linear probing) of
/// (key hash, key position in the arena, key length, address), and the key bytes of every
/// distinct key copied once into one arena. Both grow by doubling, so a compaction of
/// n distinct keys allocates O(log n) times. Keys are told apart by their full 64-bit hash
/// first and then by their bytes, so two keys with the same hash stay two entries.
///
/// Memory: about 32 bytes per slot (at most 2 slots per key) plus the key bytes.
/// Not thread-safe: one compaction thread.
final class CompactionLiveSet {
  /// One table slot. `address == emptyAddress`: never used.
  private struct Slot {
    var hash: UInt64
    var keyOffset: Int
    var keyLength: Int
    var address: UInt64
  }

  /// Address values with a meaning of their own: no record has them (log addresses
  /// start above 0 and stay far below 2^64 - 1).
  private static let emptyAddress: UInt64 = 0
  static let supersededAddress: UInt64 = .max

  private var slots: UnsafeMutablePointer<Slot>
  /// A power of two; at most half full.
  private var capacity: Int
  private(set) var count = 0
  private(set) var supersededCount = 0
  private var arena: UnsafeMutableRawPointer
  private var arenaCapacity: Int
  private var arenaUsed = 0

  init(expectedKeys: Int = 1 << 12) {
    var capacity = 16
    while capacity < expectedKeys * 2 { capacity <<= 1 }
    self.capacity = capacity
    slots = .allocate(capacity: capacity)
    slots.initialize(
      repeating: Slot(hash: 0, keyOffset: 0, keyLength: 0, address: Self.emptyAddress), count: capacity)
    arenaCapacity = Swift.max(4096, expectedKeys * 16)
    arena = .allocate(byteCount: arenaCapacity, alignment: 16)
  }

  deinit {
    slots.deallocate()
    arena.deallocate()
  }

  /// Keys whose newest record is in the range (not superseded above it).
  var candidateCount: Int { count - supersededCount }

  /// Records `address` as the newest record of the key so far (records are visited in
  /// address order, so the last call per key wins).
  func recordNewest(key: UnsafeRawBufferPointer, hash: UInt64, address: Address) {
    precondition(address.rawValue != Self.emptyAddress && address.rawValue != Self.supersededAddress)
    let index = findOrInsert(key: key, hash: hash)
    slots[index].address = address.rawValue
  }

  /// Marks the key superseded (it has a newer record above the range), if it is in the set.
  func markSuperseded(key: UnsafeRawBufferPointer, hash: UInt64) {
    guard let index = find(key: key, hash: hash) else { return }
    if slots[index].address != Self.supersededAddress {
      slots[index].address = Self.supersededAddress
      supersededCount += 1
    }
  }

  /// True if `address` is the key's newest record in the range and not superseded.
  func isCandidate(key: UnsafeRawBufferPointer, hash: UInt64, address: Address) -> Bool {
    guard let index = find(key: key, hash: hash) else { return false }
    return slots[index].address == address.rawValue
  }

  @inline(__always)
  private func home(_ hash: UInt64) -> Int {
    // Fibonacci hashing: the index's own bits of the hash may be correlated with the
    // bucket the key came from; the multiply spreads every bit.
    Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> 32) & (capacity - 1)
  }

  @inline(__always)
  private func matches(_ slot: Slot, key: UnsafeRawBufferPointer, hash: UInt64) -> Bool {
    guard slot.hash == hash, slot.keyLength == key.count else { return false }
    guard key.count > 0 else { return true }
    return memcmp(arena + slot.keyOffset, key.baseAddress!, key.count) == 0
  }

  private func find(key: UnsafeRawBufferPointer, hash: UInt64) -> Int? {
    var index = home(hash)
    while true {
      let slot = slots[index]
      if slot.address == Self.emptyAddress { return nil }
      if matches(slot, key: key, hash: hash) { return index }
      index = (index + 1) & (capacity - 1)
    }
  }

  private func findOrInsert(key: UnsafeRawBufferPointer, hash: UInt64) -> Int {
    if (count + 1) * 2 > capacity { grow() }
    var index = home(hash)
    while true {
      let slot = slots[index]
      if slot.address == Self.emptyAddress { break }
      if matches(slot, key: key, hash: hash) { return index }
      index = (index + 1) & (capacity - 1)
    }
    let offset = appendToArena(key)
    // The caller sets the address; a placeholder keeps the slot occupied meanwhile.
    slots[index] = Slot(hash: hash, keyOffset: offset, keyLength: key.count, address: Self.supersededAddress)
    count += 1
    return index
  }

  private func appendToArena(_ key: UnsafeRawBufferPointer) -> Int {
    if arenaUsed + key.count > arenaCapacity {
      var newCapacity = arenaCapacity * 2
      while arenaUsed + key.count > newCapacity { newCapacity *= 2 }
      let bigger = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
      bigger.copyMemory(from: arena, byteCount: arenaUsed)
      arena.deallocate()
      arena = bigger
      arenaCapacity = newCapacity
    }
    let offset = arenaUsed
    if key.count > 0 { (arena + offset).copyMemory(from: key.baseAddress!, byteCount: key.count) }
    arenaUsed += key.count
    return offset
  }

  private func grow() {
    let old = slots
    let oldCapacity = capacity
    capacity *= 2
    slots = .allocate(capacity: capacity)
    slots.initialize(
      repeating: Slot(hash: 0, keyOffset: 0, keyLength: 0, address: Self.emptyAddress), count: capacity)
    for position in 0..<oldCapacity where old[position].address != Self.emptyAddress {
      var index = home(old[position].hash)
      while slots[index].address != Self.emptyAddress { index = (index + 1) & (capacity - 1) }
      slots[index] = old[position]
    }
    old.deallocate()
  }
}
