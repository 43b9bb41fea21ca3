import FasterPlatform

/// Owner of the hash index's memory: the bucket array and the overflow allocator. The
/// lock-free operations are on `HashTable`, a plain struct the hot path copies.
@usableFromInline
final class HashIndex: @unchecked Sendable {
  // @unchecked Sendable: immutable after init; the memory is used through `table`.
  @usableFromInline let table: HashTable
  let overflow: OverflowBucketAllocator
  let region: AlignedRegion

  init(sizeBytes: Int, hugePages: HugePagePolicy) throws(FasterError) {
    precondition(sizeBytes >= HashBucket.sizeBytes && sizeBytes.nonzeroBitCount == 1)
    do {
      region = try PageAllocator.allocate(
        byteCount: sizeBytes, alignment: Swift.max(HashBucket.sizeBytes, Swift.min(sizeBytes, 1 << 21)),
        hugePages: hugePages)
    } catch {
      throw FasterError.outOfMemory("hash index of \(sizeBytes) bytes: \(error)")
    }
    overflow = OverflowBucketAllocator(hugePages: hugePages)
    table = HashTable(
      buckets: region.base, bucketMask: UInt64(sizeBytes / HashBucket.sizeBytes - 1),
      overflowState: overflow.state, overflow: Unmanaged.passUnretained(overflow))
  }

  deinit { PageAllocator.deallocate(region) }

  var bucketCount: Int { Int(table.bucketMask) + 1 }
}
