/// A snapshot of a hybrid log's markers, read one after another (not atomically as a
/// set), for invariant checks and statistics.
struct LogMarkers: Equatable {
  var begin: UInt64
  var closedUntil: UInt64
  var head: UInt64
  var flushedUntil: UInt64
  var safeReadOnly: UInt64
  var readOnly: UInt64
  var tail: UInt64

  /// Names of the markers that are lower than in `earlier` (each must only grow).
  func markersThatMovedBack(since earlier: LogMarkers) -> [String] {
    let pairs: [(String, UInt64, UInt64)] = [
      ("begin", begin, earlier.begin), ("closedUntil", closedUntil, earlier.closedUntil),
      ("head", head, earlier.head), ("flushedUntil", flushedUntil, earlier.flushedUntil),
      ("safeReadOnly", safeReadOnly, earlier.safeReadOnly), ("readOnly", readOnly, earlier.readOnly),
      ("tail", tail, earlier.tail),
    ]
    return pairs.filter { $0.1 < $0.2 }.map { "\($0.0) moved back from \($0.2) to \($0.1)" }
  }
}
