/// The session's side of CPR (concurrent prefix recovery): observing the system state
/// word, moving to the next version with a commit point, and the idle hand-over to the
/// checkpoint driver. None of this runs per operation: only when the state word changed,
/// or at suspend, resume and end.
extension FasterSession {
  /// The commit point now: the last serial started (minus the one in flight, for a CPR
  /// shift in the middle of an operation) and the serials still pending.
  func commitPoint(operationInFlight: Bool) -> SessionCommitPoint {
    registration.commitPoint(state: state, operationInFlight: operationInFlight)
  }

  /// Reads the state word and, if it names a newer version, moves the session there.
  @usableFromInline
  @inline(never)
  func observeSystemState() {
    registration.observe(
      state: state, word: core.stateWord.load(.sequentiallyConsistent), operationInFlight: false)
  }

  /// Leaving idleness: from here on the session moves itself.
  @usableFromInline
  @inline(never)
  func resumeRegistration() {
    registration.fields.withLock { $0.idlePoint = nil }
  }
}

extension SessionRegistration {
  /// The session's commit point from its state (session thread only).
  func commitPoint(state: UnsafeMutablePointer<SessionState>, operationInFlight: Bool) -> SessionCommitPoint {
    let serial = state.pointee.serialNumber &- (operationInFlight ? 1 : 0)
    return SessionCommitPoint(
      sessionName: name ?? "", serial: serial, pendingSerials: pendingSerials.filter { $0 <= serial }.sorted()
    )
  }

  /// Moves the session whose state is `state` to the version in `word` if that is newer,
  /// recording its commit point (session thread only).
  @usableFromInline
  @inline(never)
  func observe(state: UnsafeMutablePointer<SessionState>, word: UInt64, operationInFlight: Bool) {
    let systemState = SystemState(rawValue: word)
    state.pointee.seenState = word
    defer {
      state.pointee.restsInOwnVersion =
        systemState.phase == .rest && systemState.version == state.pointee.version
    }
    guard systemState.version > state.pointee.version else { return }
    let point = commitPoint(state: state, operationInFlight: operationInFlight)
    fields.withLock { _ = SessionRegistration.advance(&$0, to: systemState.version, point: point) }
    state.pointee.version = systemState.version
  }
}
