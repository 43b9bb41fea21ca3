/// A thread's handle on a `FasterKV` store: epoch protection, a serial number per
/// operation, and the operations themselves.
///
/// A session is protected (holds an epoch-table entry) from creation until it ends
/// (`end()` or deinit), and refreshes its epoch every `options.refreshInterval`
/// operations, so other threads' epoch actions (read-only shifts, and with the disk tier
/// flushes and evictions) make progress. Call `refresh()` when idle for long.
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
  let completions = CompletionQueue<Layout>()

  /// The serial number of the last operation started (monotone, per session; CPR
  /// checkpoints record each session's commit point in it).
  public var serialNumber: UInt64 { state.pointee.serialNumber }

  init(store: FasterKV<Layout>) throws(FasterError) {
    self.store = store
    core = store.core
    refreshInterval = store.options.refreshInterval
    epochSlot = try store.epoch.acquireSlot()
    state = UnsafeMutablePointer<SessionState>.allocate(capacity: 1)
    state.initialize(to: SessionState())
    store.epoch.protect(epochSlot)
  }

  deinit {
    end()
    state.deallocate()
  }

  /// Releases the session's epoch entry. The session must not be used afterwards.
  public func end() {
    guard !state.pointee.ended else { return }
    state.pointee.ended = true
    store.epoch.releaseSlot(epochSlot)
  }

  /// Moves the session to the current epoch and runs ready epoch actions.
  @inlinable
  public func refresh() {
    state.pointee.operationsSinceRefresh = 0
    state.pointee.isProtected = true
    core.refresh(epochSlot)
  }

  /// Leaves epoch protection until the next operation (or `refresh`). Call it before a
  /// session sits idle: a protected session holds back every epoch action (read-only
  /// shifts, flushes, evictions) of every other session.
  public func suspend() {
    guard state.pointee.isProtected else { return }
    state.pointee.isProtected = false
    store.epoch.unprotect(epochSlot)
  }

  /// The operation context for the hot path.
  @inlinable
  var context: OperationContext {
    OperationContext(
      version: state.pointee.version, epochSlot: epochSlot, scratch: Unmanaged.passUnretained(scratch))
  }

  /// Operations that returned `.pending` and have not been completed yet.
  public var pendingCount: Int { state.pointee.pendingCount }

  /// Counts an operation: the serial number, and the periodic refresh.
  @inlinable
  func beginOperation() {
    precondition(!state.pointee.ended, "operation on an ended session")
    if !state.pointee.isProtected { refresh() }
    state.pointee.serialNumber &+= 1
    state.pointee.operationsSinceRefresh &+= 1
    if state.pointee.operationsSinceRefresh >= refreshInterval { refresh() }
  }
}
