/// Truncation: moving the log's begin forward.
extension FasterLog {
  /// Moves the begin to `address` (an entry's address or an iterator's `nextAddress`; at
  /// most the tail): reads below it fail with `.truncated` at once. The new begin is
  /// recorded by the next commit, and once that commit record is durable the segment
  /// files wholly below it are deleted (never before: a crash in between must still find
  /// the files the older record names). A lower `address` than the begin is ignored.
  ///
  /// - Throws: `.invalidAddress` for an unaligned address or one past the tail.
  /// - Thread safety: any thread.
  public func truncate(until address: Address) throws(FasterLogError) {
    guard address.rawValue & 7 == 0 else {
      throw .invalidAddress("truncate(until: \(address.rawValue)): not 8-byte aligned")
    }
    let tail = tailAddress.rawValue
    guard address.rawValue <= tail else {
      throw .invalidAddress("truncate(until: \(address.rawValue)): past the tail \(tail)")
    }
    beginWord.raise(to: address.rawValue)
  }
}
