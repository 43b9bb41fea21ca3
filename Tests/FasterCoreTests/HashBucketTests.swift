import Testing

@testable import FasterCore

@Suite struct HashBucketTests {
  @Test func bucketIsOneCacheLineOfSevenEntriesAndAnOverflowWord() {
    #expect(HashBucket.sizeBytes == 64)
    #expect(HashBucket.entryCount == 7)
    #expect(HashBucket.overflowWordOffset == HashBucket.entryCount * MemoryLayout<UInt64>.size)
    #expect(MemoryLayout<HashBucketEntry>.size == 8)
  }

  @Test func entryBitLayout() {
    let entry = HashBucketEntry(address: Address(0x1234_5678_9ABC), tag: 0x3FFF, tentative: true)
    #expect(entry.address == Address(0x1234_5678_9ABC))
    #expect(entry.tag == 0x3FFF)
    #expect(entry.isTentative)
    #expect(!entry.isReadCache)
    #expect(entry.rawValue == (0x1234_5678_9ABC as UInt64) | 0x3FFF << 48 | 1 << 63)
  }

  @Test func withAddressKeepsTagAndFlags() {
    let entry = HashBucketEntry(address: .invalid, tag: 9, tentative: false).with(address: Address(4096))
    #expect(entry.address == Address(4096))
    #expect(entry.tag == 9)
    #expect(!entry.isTentative)
  }

  @Test func aNewEntryIsNeverEmptyEvenWithTagZero() {
    #expect(!HashBucketEntry(address: .invalid, tag: 0, tentative: false).isEmpty)
  }

  @Test func keyHashSplitsTagFromBucketBits() {
    let hash = KeyHash(0xFFFC_0000_0000_0005)
    #expect(hash.tag == 0x3FFF)
    #expect(hash.bucketIndex(mask: 0xFF) == 5)
  }
}

@Suite struct KeyHasherTests {
  // The hashes are part of the on-disk format (index checkpoints): pinned values.
  @Test func wordHashIsMurmurFinaliser() {
    #expect(KeyHasher.hash(word: 0) == 0)
    #expect(KeyHasher.hash(word: 1) == 0xB456_BCFC_34C2_CB2C)
  }

  @Test func byteHashIsStableAndLengthSensitive() {
    let a = Array("user12345".utf8)
    let h1 = a.withUnsafeBytes { KeyHasher.hash(bytes: $0) }
    let h2 = a.withUnsafeBytes { KeyHasher.hash(bytes: $0) }
    #expect(h1 == h2)
    let zeroPadded = [UInt8](repeating: 0, count: 3)
    let zeroPadded4 = [UInt8](repeating: 0, count: 4)
    #expect(
      zeroPadded.withUnsafeBytes { KeyHasher.hash(bytes: $0) }
        != zeroPadded4.withUnsafeBytes { KeyHasher.hash(bytes: $0) })
  }

  @Test func byteHashSpreadsOverBuckets() {
    var counts = [Int](repeating: 0, count: 64)
    for i in 0..<64_000 {
      let key = Array("user\(i)".utf8)
      counts[Int(key.withUnsafeBytes { KeyHasher.hash(bytes: $0) } & 63)] += 1
    }
    // 1000 expected per bucket; a decent hash stays well within +-20%.
    #expect(counts.allSatisfy { $0 > 800 && $0 < 1200 })
  }
}
