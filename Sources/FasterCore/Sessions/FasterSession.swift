/// A thread's handle on a `FasterKV` store: epoch protection, a serial number per
/// operation, and the operations themselves.
///
/// A session holds an epoch-table entry from creation until it ends (`end()` or deinit).
/// It is protected while it works, refreshes its epoch every `options.refreshInterval`
/// operations, so other threads' epoch actions (read-only shifts, and with the disk tier
/// flushes and evictions) make progress, and leaves protection on `suspend()` (the next
/// operation resumes it). Call `suspend()` before sitting idle.
///
/// After `end()` the entry may belong to another session, so an ended session never
/// touches it again: `end`, `suspend`, `refresh`, `completePending` and
/// `completePendingWithResults` are no-ops, and read, upsert, RMW and delete (synchronous
/// or async) are a precondition failure.
///
/// The operations are in extensions per layout: `FasterSession+FixedSize.swift` and
/// `FasterSession+VariableLength.swift`.
///
/// Thread safety: not thread-safe; use a session from one thread at a time. (A class, not
/// a `~Copyable` struct, so that generic benchmark and service code can hold it.)
public final class FasterSession<Layout: RecordLayout> {
  /// The store; the strong reference keeps it alive while the session runs.
  public let store: FasterKV<Layout>
  @usableFromInline let core: StoreCore<Layout>
  @usableFromInline let epochSlot: Int
  @usableFromInline let refreshInterval: Int
  /// The session's mutable counters, in memory of its own: class `var`s would cost a
  /// dynamic exclusivity check on every operation.
  @usableFromInline let state: UnsafeMutablePointer<SessionState>
  @usableFromInline let scratch = ScratchBuffer()
  /// Operations by kind and status, in memory of its own; the store sums them when its
  /// statistics are read (`SessionCounterRegistry`), and keeps them after `end()`.
  @usableFromInline let counters = SessionOperationCounters()
  let completions = CompletionQueue<Layout>()
  /// The session's entry in the store's registry (CPR: its version and commit points).
  @usableFromInline let registration: SessionRegistration

  /// The name given at creation (`FasterKV.newSession(name:)`), nil for an anonymous
  /// session (which takes part in checkpoints but has no commit point in them).
  public var name: String? { registration.name }

  /// The serial number of the last operation started (monotone, per session; CPR
  /// checkpoints record each session's commit point in it).
  public var serialNumber: UInt64 { state.pointee.serialNumber }

  init(store: FasterKV<Layout>, name: String? = nil, serial: UInt64 = 0) throws(FasterError) {
    self.store = store
    core = store.core
    refreshInterval = store.options.refreshInterval
    epochSlot = try store.epoch.acquireSlot()
    state = UnsafeMutablePointer<SessionState>.allocate(capacity: 1)
    state.initialize(to: SessionState())
    state.pointee.serialNumber = serial
    store.epoch.protect(epochSlot)
    // Registered before reading the state word: a checkpoint that starts after the
    // registration waits for this session; one that started before is seen in the word.
    let systemState = store.checkpoints.state
    registration = SessionRegistration(name: name, version: systemState.version)
    store.checkpoints.register(registration)
    state.pointee.version = store.checkpoints.state.version
    registration.fields.withLock { $0.version = state.pointee.version }
    state.pointee.seenState = 0
    state.pointee.restsInOwnVersion = false
    store.sessionCounters.register(counters, for: ObjectIdentifier(self))
    observeSystemState()
  }

  deinit {
    end()
    state.deallocate()
    counters.deallocate()
  }

  /// Ends the session: completes the operations still pending (waiting for the device,
  /// so an RMW that went pending is applied, not lost), then releases the epoch entry.
  /// Returns those operations' results, as `completePendingWithResults(wait: true)` would
  /// (deinit drops them; the operations still complete). A second call returns `[]`.
  ///
  /// Close the store's device only after its sessions have ended: a pending read needs it.
  /// Ending a session while one of its async operations is suspended (awaiting the
  /// device) is a precondition failure: await it first.
  @discardableResult
  public func end() -> [CompletedOperation<Layout>] {
    guard !state.pointee.ended else { return [] }
    precondition(
      state.pointee.suspendedAsyncCount == 0,
      "end() while an async operation of this session awaits the device: await it first")
    let results = state.pointee.pendingCount > 0 ? completePendingWithResults(wait: true) : []
    assert(state.pointee.pendingCount == 0, "end() left operations pending")
    state.pointee.ended = true
    state.pointee.isProtected = false
    let point = commitPoint(operationInFlight: false)
    registration.fields.withLock {
      $0.idlePoint = point
      $0.ended = true
    }
    store.epoch.releaseSlot(epochSlot)
    store.sessionCounters.retire(ObjectIdentifier(self))
    return results
  }

  /// Moves the session to the current epoch and runs ready epoch actions. A no-op after
  /// `end()`.
  @inlinable
  public func refresh() {
    guard !state.pointee.ended else { return }
    protectAndRefresh()
  }

  /// `refresh()` for a session known not to be ended (the operations' path).
  @inlinable
  func protectAndRefresh() {
    state.pointee.operationsSinceRefresh = 0
    if !state.pointee.isProtected { resumeRegistration() }
    state.pointee.isProtected = true
    core.refresh(epochSlot)
    // CPR: the one load of the system state word per refresh.
    if core.stateWord.load(.acquiring) != state.pointee.seenState { observeSystemState() }
  }

  /// Leaves epoch protection until the next operation (or `refresh`). Call it before a
  /// session sits idle: a protected session holds back every epoch action (read-only
  /// shifts, flushes, evictions) of every other session. A no-op after `end()`.
  public func suspend() {
    guard !state.pointee.ended, state.pointee.isProtected else { return }
    state.pointee.isProtected = false
    // Idle: the checkpoint driver may move this session to the next version itself.
    let point = commitPoint(operationInFlight: false)
    registration.fields.withLock { $0.idlePoint = point }
    store.epoch.unprotect(epochSlot)
  }

  /// The operation context for the hot path.
  @inlinable
  var context: OperationContext {
    OperationContext(
      session: state, registration: Unmanaged.passUnretained(registration), epochSlot: epochSlot,
      scratch: Unmanaged.passUnretained(scratch))
  }

  /// Operations that returned `.pending` and have not been completed yet.
  public var pendingCount: Int { state.pointee.pendingCount }

  /// Counts an operation: the serial number, and the periodic refresh.
  @inlinable
  func beginOperation() {
    precondition(!state.pointee.ended, "operation on an ended session")
    // Refresh before counting: a version change seen here leaves every operation up to
    // the current serial in the old version (the session's commit point).
    if !state.pointee.isProtected || state.pointee.operationsSinceRefresh >= refreshInterval {
      protectAndRefresh()
    }
    state.pointee.serialNumber &+= 1
    state.pointee.operationsSinceRefresh &+= 1
  }
}
