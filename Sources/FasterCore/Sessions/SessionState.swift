/// A session's mutable per-operation state. Kept behind a pointer owned by the session
/// (see `FasterSession.state`).
@frozen
@usableFromInline
struct SessionState {
  /// The serial number of the last operation started.
  @usableFromInline var serialNumber: UInt64 = 0
  /// Operations since the last epoch refresh.
  @usableFromInline var operationsSinceRefresh = 0
  /// The checkpoint version the session writes into records (CPR).
  @usableFromInline var version: UInt64 = 1
  /// True once the session released its epoch entry.
  @usableFromInline var ended = false
  /// True while the session's epoch entry is protected.
  @usableFromInline var isProtected = true
  /// Operations issued as pending and not yet completed.
  @usableFromInline var pendingCount = 0
  /// Async operations suspended on the device (`FasterSession.awaitPending`).
  @usableFromInline var suspendedAsyncCount = 0
  /// The system state word as this session last observed it (`SystemState`).
  @usableFromInline var seenState: UInt64 = 0
  /// True when `seenState` is rest in the session's own version. Then the system is either
  /// still at rest in that version or already in a later version (versions only grow), so
  /// an update of an older record may go in place with no look at the state word
  /// (`StoreCore.isOrdinaryVersion`). Set only by `SessionRegistration.observe`.
  @usableFromInline var restsInOwnVersion = false

  @inlinable init() {}
}
