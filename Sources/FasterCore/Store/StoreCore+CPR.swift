/// The CPR cases of the operations (concurrent prefix recovery): what a session does when
/// the record it found has another version than its own. Reached only on a version
/// mismatch (rare outside checkpoints: one compare on the hot path); the phase and
/// version come from the system state word (`SystemState`).
extension StoreCore {
  /// What an RMW does with a record of another version.
  @frozen
  @usableFromInline
  enum CPRCase {
    /// Carry on as usual (in place in the mutable region, copy below it).
    case proceed
    /// Start over from the index (after a refresh).
    case retry
    /// Do not touch the record in place: append the updated copy at the tail.
    case copyToTail
  }

  /// True if the record is a newer version than the session's (modulo the 13-bit
  /// version field: a distance below half the range counts as newer).
  @inlinable
  func isNewer(_ recordVersion: UInt64, than sessionTag: UInt64) -> Bool {
    let distance = (recordVersion &- sessionTag) & RecordInfo.versionMask
    return distance != 0 && distance < (RecordInfo.versionMask + 1) / 2
  }

  /// True if a record of version `recordVersion` needs none of the CPR cases: it is the
  /// session's version, or an older one while the session last saw the system at rest in
  /// its own version (then every session that could write the record in place is in this
  /// version or later; see `SessionState.restsInOwnVersion`). Inlined in the operations:
  /// after a checkpoint every record of the previous versions takes this path, so it must
  /// not cost a call or a load of the shared state word.
  @inlinable
  func isOrdinaryVersion(_ recordVersion: UInt64, context: OperationContext) -> Bool {
    let sessionTag = context.versionTag
    if recordVersion == sessionTag { return true }
    return context.session.pointee.restsInOwnVersion && !isNewer(recordVersion, than: sessionTag)
  }

  /// The session is in v and met a record of v + 1 (the phase is `inProgress` or later:
  /// some session already moved). Doing the operation in v on top of a v + 1 change would
  /// make a v operation depend on one the checkpoint excludes, so the session moves to
  /// v + 1 first (FASTER's CPR shift): its commit point ends before this operation.
  @inlinable
  func cprShift(context: OperationContext) {
    refresh(context.epochSlot)
    let word = stateWord.load(.sequentiallyConsistent)
    context.registration._withUnsafeGuaranteedRef {
      $0.observe(state: context.session, word: word, operationInFlight: true)
    }
  }

  /// Upsert and delete: may the record (of another version than the session's) be
  /// changed in place? Otherwise the operation appends a new record.
  @inlinable
  @inline(never)
  func cprAllowsInPlace(_ info: RecordInfo, context: OperationContext) -> Bool {
    if isNewer(info.version, than: context.versionTag) {
      // This session is in v, the record in v + 1: shift, then append in v + 1 (the
      // caller appends when this returns false; the new record carries v + 1).
      cprShift(context: context)
      return false
    }
    // The record is older than the session. A session still in v (the version being
    // checkpointed) updates older records in place as usual: they all belong to the
    // checkpoint. At rest every session is in the current version: the same. A session
    // already in v + 1 during a checkpoint must not: in inProgress, sessions still in v
    // may be writing the record; in waitFlush, the log below the boundary is being made
    // durable or copied with the record as of v.
    let state = SystemState(rawValue: stateWord.load(.acquiring))
    return state.phase == .rest || context.version < state.version
  }

  /// RMW on a record of another version than the session's.
  @inlinable
  @inline(never)
  func cprReadModifyWriteCase(_ info: RecordInfo, context: OperationContext) -> CPRCase {
    if isNewer(info.version, than: context.versionTag) {
      // Session in v, record in v + 1: CPR shift, retry in v + 1.
      cprShift(context: context)
      return .retry
    }
    let state = SystemState(rawValue: stateWord.load(.acquiring))
    // A session still in v: every older record belongs to the checkpoint (see above).
    if context.version < state.version { return .proceed }
    switch state.phase {
    case .rest:
      // Every session is in this version: an older record is ordinary.
      return .proceed
    case .inProgress:
      // Sessions still in v may update this v record in place right now: copying it
      // could lose their update. Refresh (helping them move on) and retry; the wait ends
      // when the last v session refreshes (the phase then moves to waitFlush).
      refresh(context.epochSlot)
      return .retry
    case .waitFlush:
      // Every session is in v + 1, so nobody writes v records in place any more: copy to
      // the tail (the checkpoint keeps the v value below its boundary).
      return .copyToTail
    }
  }
}
