/// Operations by kind and status since the store opened, summed over its sessions (live
/// and ended) when `FasterKV.statistics` is read.
///
/// `issued(kind, status)` counts the status each call returned: a pending operation is
/// counted once as `.pending` there, and once more, with its final status, in
/// `completed(kind, status)` when `completePending` (or the async API) finishes it.
public struct OperationStatistics: Sendable, Equatable, Codable {
  /// The issued table then the completed table, `OperationKind.allCases.count` rows of
  /// `SessionOperationCounters.statusSlots` each.
  var words: [UInt64]

  public init() {
    words = [UInt64](repeating: 0, count: SessionOperationCounters.wordCount)
  }

  init(words: [UInt64]) { self.words = words }

  /// Calls of `kind` that returned `status`.
  public func issued(_ kind: OperationKind, _ status: OperationStatus) -> UInt64 {
    words[SessionOperationCounters.slot(kind, status)]
  }

  /// Pending operations of `kind` that completed with `status`.
  public func completed(_ kind: OperationKind, _ status: OperationStatus) -> UInt64 {
    let offset = OperationKind.allCases.count * SessionOperationCounters.statusSlots
    return words[offset + SessionOperationCounters.slot(kind, status)]
  }

  /// Every call of `kind`, whatever it returned.
  public func total(_ kind: OperationKind) -> UInt64 {
    Self.allStatuses.reduce(0) { $0 + issued(kind, $1) }
  }

  /// Operations that went pending.
  public var pendingIssued: UInt64 { OperationKind.allCases.reduce(0) { $0 + issued($1, .pending) } }
  /// Pending operations completed.
  public var pendingCompleted: UInt64 {
    OperationKind.allCases.reduce(0) { sum, kind in
      sum + Self.allStatuses.reduce(0) { $0 + completed(kind, $1) }
    }
  }
  /// Pending operations not completed yet (issued minus completed).
  public var pendingOutstanding: UInt64 { pendingIssued - Swift.min(pendingIssued, pendingCompleted) }

  /// Every `OperationStatus`, in raw-value order.
  public static let allStatuses: [OperationStatus] = (0..<UInt8(SessionOperationCounters.statusSlots))
    .compactMap { OperationStatus(rawValue: $0) }
}
