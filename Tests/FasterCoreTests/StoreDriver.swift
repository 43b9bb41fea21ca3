/// How the threads of a concurrency test drive one store, in the terms of
/// `LinearizabilityChecker`: keys are small integers and values are 64-bit ids.
///
/// `read` returns nil for not found, else the value's id, or `UInt64.max` for bytes no write
/// could have produced (a torn or mixed value), which the checker never accepts.
struct StoreDriver<Session>: Sendable {
  var newSession: @Sendable () -> Session
  var read: @Sendable (_ session: Session, _ key: Int, _ isCounter: Bool) -> UInt64?
  var write: @Sendable (_ session: Session, _ key: Int, _ value: UInt64) -> Void
  var increment: @Sendable (_ session: Session, _ key: Int) -> Void
  var delete: @Sendable (_ session: Session, _ key: Int) -> Void
  var end: @Sendable (_ session: Session) -> Void
  /// Makes the whole log read-only, so the next updates copy records to the tail.
  var makeReadOnly: @Sendable () -> Void
}
