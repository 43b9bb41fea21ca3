/// A FasterLog's committed entries as an async sequence that follows the tail: when the
/// iterator reaches the committed tail it suspends until a commit moves it (resumed by
/// the commit, not by polling), and ends at its end address or when the log closes.
///
///     for try await entry in log.entries(from: log.beginAddress) { ... }
///
/// Thread safety: one consumer per sequence.
public struct FasterLogEntries: AsyncSequence, Sendable {
  public typealias Element = FasterLogEntry
  public typealias Failure = FasterLogError

  let iterator: FasterLogIterator

  public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(iterator: iterator) }

  /// The sequence's iterator.
  public struct AsyncIterator: AsyncIteratorProtocol {
    public typealias Element = FasterLogEntry
    public typealias Failure = FasterLogError

    let iterator: FasterLogIterator

    public mutating func next() async throws(FasterLogError) -> FasterLogEntry? {
      while true {
        if let entry = try iterator.next() { return entry }
        if let end = iterator.endAddress, iterator.nextAddress >= end { return nil }
        let position = iterator.nextAddress.rawValue
        let log = iterator.log
        let result = await withCheckedContinuation { continuation in
          log.register(
            CommitWaiter(target: position + 1, requestsCommit: false) { continuation.resume(returning: $0) })
        }
        switch result {
        case .success: continue
        case .failure(.closed): return nil
        case .failure(let error): throw error
        }
      }
    }
  }
}

extension FasterLog {
  /// An iterator over the committed entries from `start` (an entry's address, a page
  /// start or `beginAddress`) to `end` (nil: follow the committed tail).
  public func iterator(from start: Address, until end: Address? = nil) -> FasterLogIterator {
    FasterLogIterator(log: self, name: nil, from: Swift.max(start, beginAddress), until: end)
  }

  /// The persistent iterator `name`: it starts at the position the last commit saved for
  /// it (restored on reopen) or, the first time, at `start`.
  public func iterator(named name: String, from start: Address) -> FasterLogIterator {
    let position = iteratorPositions.withLock { positions in
      let position = positions[name] ?? Swift.max(start, beginAddress).rawValue
      positions[name] = position
      return position
    }
    return FasterLogIterator(log: self, name: name, from: Address(position), until: nil)
  }

  /// The committed entries from `start` on, as an async sequence that waits for commits.
  public func entries(from start: Address, until end: Address? = nil) -> FasterLogEntries {
    iterator(from: start, until: end).entries
  }
}
