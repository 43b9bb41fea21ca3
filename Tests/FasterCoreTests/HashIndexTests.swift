import FasterTestSupport
import Testing

@testable import FasterCore

@Suite struct HashIndexTests {
  @Test func missingTagIsNotFound() throws {
    let index = try HashIndex(sizeBytes: 1 << 12, hugePages: .off)
    #expect(index.table.findEntry(KeyHash(12345)) == nil)
  }

  @Test func createdEntryIsFoundAndPointsAtInvalid() throws {
    let index = try HashIndex(sizeBytes: 1 << 12, hugePages: .off)
    let hash = KeyHash(0xABCD_0000_0000_0003)
    let created = try #require(index.table.findOrCreateEntry(hash))
    #expect(created.entry.address == .invalid)
    #expect(created.entry.tag == hash.tag)
    let found = try #require(index.table.findEntry(hash))
    #expect(found.word.pointer == created.word.pointer)
  }

  @Test func sameTagSameEntryDifferentTagDifferentEntry() throws {
    let index = try HashIndex(sizeBytes: 1 << 12, hugePages: .off)
    let a = try #require(index.table.findOrCreateEntry(KeyHash(1 << 50 | 7)))
    let b = try #require(index.table.findOrCreateEntry(KeyHash(1 << 50 | 7)))
    let c = try #require(index.table.findOrCreateEntry(KeyHash(2 << 50 | 7)))
    #expect(a.word.pointer == b.word.pointer)
    #expect(a.word.pointer != c.word.pointer)
  }

  @Test func eighthTagInABucketGoesToAnOverflowBucket() throws {
    let index = try HashIndex(sizeBytes: 64, hugePages: .off)  // a single bucket
    for tag in 0..<20 as Range<UInt64> {
      _ = try #require(index.table.findOrCreateEntry(KeyHash(tag << 50)))
    }
    #expect(index.overflow.allocatedBucketCount == 2)  // 7 + 7 + 6
    for tag in 0..<20 as Range<UInt64> {
      #expect(index.table.findEntry(KeyHash(tag << 50)) != nil)
    }
  }

  @Test func casSwingsTheAddressAndFailsOnAStaleValue() throws {
    let index = try HashIndex(sizeBytes: 64, hugePages: .off)
    var slot = try #require(index.table.findOrCreateEntry(KeyHash(5 << 50)))
    var stale = slot
    let first = slot.compareExchange(to: Address(128))
    let second = stale.compareExchange(to: Address(256))
    #expect(first)
    #expect(!second)
    #expect(stale.entry.address == Address(128), "a failed CAS refreshes the entry")
  }
}

@Suite struct HashIndexConcurrencyTests {
  /// Threads racing to create the same tags must end with exactly one entry per tag.
  @Test func racingInsertsNeverDuplicateATag() throws {
    let index = try HashIndex(sizeBytes: 64 * 4, hugePages: .off)  // 4 buckets: lots of overflow
    let tags = 200
    runThreads(4) { t in
      for i in 0..<tags {
        let tag = UInt64((i * 7 + t * 13) % tags)
        _ = index.table.findOrCreateEntry(KeyHash(tag << 50 | tag & 3))
      }
    }
    var seen: [UInt64: Int] = [:]
    for bucketIndex in 0..<4 {
      var bucket: UnsafeMutableRawPointer? = index.table.buckets + bucketIndex * 64
      while let current = bucket {
        for slot in 0..<7 {
          let entry = HashBucketEntry(rawValue: AtomicWord(current + slot * 8).load(.acquiring))
          if !entry.isEmpty {
            #expect(!entry.isTentative)
            seen[entry.tag, default: 0] += 1
          }
        }
        bucket = index.table.nextBucket(after: current)
      }
    }
    #expect(seen.count == tags)
    #expect(seen.values.allSatisfy { $0 == 1 })
  }
}
