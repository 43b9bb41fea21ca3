import FasterStorage

/// Walks a FasterLog's committed entries in address order, from an address to an end
/// address or to the committed tail (`next()` returns nil there; `entries` waits for the
/// next commit instead). Each entry's checksum is checked; a bad one throws
/// `.corruptEntry` (the entries before it are delivered first).
///
/// A named iterator (`FasterLog.iterator(named:from:)`) is persistent: its
/// `completedUntilAddress`, moved by `complete(until:)`, is saved with every commit and
/// restored when the log is reopened, so a consumer resumes where it last confirmed.
///
/// Thread safety: not thread-safe; one consumer at a time.
public final class FasterLogIterator: @unchecked Sendable {
  // @unchecked Sendable: may be handed between tasks, but used by one at a time (documented).
  /// The persistent name, or nil.
  public let name: String?
  /// Where iteration stops; nil to follow the committed tail.
  public let endAddress: Address?
  /// The address of the next entry to return (or a page's unused end, which is skipped).
  public private(set) var nextAddress: Address
  /// The position saved for a named iterator: consumers confirm entries with `complete(until:)`.
  public private(set) var completedUntilAddress: Address

  let log: FasterLog
  private var buffered: [FasterLogEntry] = []
  private var bufferedIndex = 0

  init(log: FasterLog, name: String?, from start: Address, until end: Address?) {
    self.log = log
    self.name = name
    endAddress = end
    nextAddress = start
    completedUntilAddress = start
  }

  /// The next committed entry, or nil at the end address or the committed tail (call
  /// again after a commit).
  ///
  /// - Throws: `.truncated` when the log was truncated past this iterator, `.corruptEntry`,
  ///   `.device`.
  public func next() throws(FasterLogError) -> FasterLogEntry? {
    while true {
      if bufferedIndex < buffered.count {
        let entry = buffered[bufferedIndex]
        bufferedIndex += 1
        nextAddress = entry.nextAddress
        return entry
      }
      let committed = log.committedUntilAddress
      let limit = endAddress.map { Swift.min($0, committed) } ?? committed
      if nextAddress >= limit { return nil }
      try fill(until: limit.rawValue)
    }
  }

  /// Confirms every entry below `address` as consumed: for a named iterator, the next
  /// commit saves it and recovery restores it.
  public func complete(until address: Address) {
    guard address > completedUntilAddress else { return }
    completedUntilAddress = address
    if let name { log.iteratorPositions.withLock { $0[name] = Swift.max($0[name] ?? 0, address.rawValue) } }
  }

  /// The entries from `nextAddress` on, as an async sequence that waits for commits.
  public var entries: FasterLogEntries { FasterLogEntries(iterator: self) }

  /// Buffers the entries of [nextAddress, min(limit, page end)).
  private func fill(until limit: UInt64) throws(FasterLogError) {
    buffered.removeAll(keepingCapacity: true)
    bufferedIndex = 0
    let begin = log.beginAddress
    guard nextAddress >= begin else {
      throw .truncated(address: nextAddress.rawValue, begin: begin.rawValue)
    }
    let pageSize = UInt64(log.hybridLog.pageSizeBytes)
    let pageEnd = (nextAddress.rawValue & ~(pageSize - 1)) + pageSize
    let until = Swift.min(limit, pageEnd)
    var failure: FasterLogError? = nil
    var end = nextAddress.rawValue
    do {
      try log.hybridLog.scan(from: nextAddress, until: Address(until), format: LogEntryFormat.self) {
        address, record, size in
        // Safety: the scan hands over `size` readable bytes of private memory at `record`;
        // validate checks the entry fits in them before the payload is copied.
        switch LogEntryFormat.validate(record, address: address.rawValue, available: size) {
        case .valid(let length):
          end = address.rawValue + UInt64(size)
          buffered.append(
            FasterLogEntry(
              address: address, bytes: Array(UnsafeRawBufferPointer(start: record + 8, count: length)),
              nextAddress: Address(end)))
          return true
        case .corrupt(let reason):
          failure = .corruptEntry(address: address.rawValue, reason: reason)
          return false
        }
      }
    } catch {
      failure =
        error.kind == .corruptData
        ? .corruptEntry(address: end, reason: error.message) : .device(error)
    }
    if !buffered.isEmpty { return }
    if let failure { throw failure }
    if until == pageEnd {
      nextAddress = Address(pageEnd)  // the unused end of a full page
    } else {
      throw .corruptEntry(address: end, reason: "zero bytes below the committed tail (never written)")
    }
  }
}
