import CFasterShims

/// Prefetch hints for batched operations: an operation costs two dependent cache misses
/// (the hash bucket, then the record), and issuing the loads of later operations while
/// the current one runs overlaps them. Hints only: they change no state, and a stale
/// address costs nothing but a wasted line (a prefetch never faults).
extension StoreCore {
  /// Starts loading the home bucket of `hash`.
  @inlinable
  func prefetchBucket(_ hash: KeyHash) {
    cfaster_prefetch(index.homeBucket(hash))
  }

  /// Starts loading the newest record of `hash`'s chain, when it is in memory. Reads the
  /// bucket (prefetched earlier, ideally): the caller holds epoch protection.
  @inlinable
  func prefetchRecord(_ hash: KeyHash) {
    guard let slot = index.findEntry(hash) else { return }
    let address = slot.entry.address
    if address.isReadCache {
      cfaster_prefetch(readCache.unsafelyUnwrapped.pointer(address))
    } else if address >= log.headAddress {
      cfaster_prefetch(log.pointer(address))
    }
  }
}
