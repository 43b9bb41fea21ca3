/// The index's invariants, checked in code (expensive: a walk of every bucket). For
/// tests and tooling, when no operation is in flight: tentative entries are legal while
/// an insert runs.
///
/// - No entry is tentative (an insert either finished or backed its entry out).
/// - An entry's address is `Address.invalid` (claimed, first record not yet published,
///   or published and then lost a race) or a log address in [firstValid, tail), or a
///   read-cache address inside the read cache's log.
/// - No two entries of one bucket chain (home bucket and its overflow buckets) carry the
///   same tag: each tag has one chain of records.
/// - Every overflow link names a bucket the overflow allocator handed out.
extension HashIndex {
  /// Every violated invariant, described; empty when the index is consistent.
  func invariantViolations(tail: Address, readCacheTail: Address? = nil) -> [String] {
    var problems: [String] = []
    let handedOut = UInt64(overflow.allocatedBucketCount)
    for bucketIndex in 0..<bucketCount {
      var bucket = table.buckets + bucketIndex * HashBucket.sizeBytes
      var tags = Set<UInt64>()
      var chainLength = 0
      while true {
        for slot in 0..<HashBucket.entryCount {
          let entry = HashBucketEntry(rawValue: AtomicWord(bucket + slot * 8).load(.acquiring))
          if entry.isEmpty { continue }
          let place = "bucket \(bucketIndex) (chain position \(chainLength), slot \(slot))"
          if entry.isTentative { problems.append("\(place): tentative entry with no insert running") }
          let address = entry.address
          if address.isReadCache {
            // A cached record at the chain's front (`ReadCache`): inside the cache's log.
            let offset = address.readCacheOffset
            if readCacheTail == nil || offset < .firstValid || offset >= readCacheTail! {
              problems.append("\(place): read-cache address \(offset.rawValue) outside the read cache")
            }
          } else if address != .invalid && (address < .firstValid || address >= tail) {
            problems.append("\(place): address \(address.rawValue) outside the log [64, \(tail.rawValue))")
          }
          if !tags.insert(entry.tag).inserted {
            problems.append("\(place): a second entry for tag \(entry.tag)")
          }
        }
        let link = AtomicWord(bucket + HashBucket.overflowWordOffset).load(.acquiring) & Address.mask
        if link == 0 { break }
        guard link <= handedOut else {
          problems.append(
            "bucket \(bucketIndex): overflow link \(link) past the \(handedOut) buckets handed out")
          break
        }
        chainLength += 1
        bucket = overflow.pointer(to: link)
      }
    }
    return problems
  }
}
