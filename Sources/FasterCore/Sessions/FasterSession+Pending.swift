/// Pending operations: the records they need are on the device. A synchronous operation
/// returns `.pending` and completes in `completePending`; the async operations
/// (`FasterSession+Async.swift`) suspend instead and are resumed by the I/O completion.
///
/// Order: completions are processed in the order the device finishes them; each result
/// carries the serial number the operation was issued with, so a checkpoint (CPR) can
/// tell which serial numbers are done.
extension FasterSession {
  /// Starts the device part of an operation that returned `.pending`.
  func startPending(
    kind: CompletedOperation<Layout>.Kind, key: Layout.Key, request: PendingRequest,
    resume: PendingOperation<Layout>.Resume?, delivery: PendingOperation<Layout>.Delivery
  ) {
    let operation = PendingOperation<Layout>(
      kind: kind, serialNumber: state.pointee.serialNumber, key: Layout.storedKey(key), request: request,
      resume: resume, delivery: delivery)
    if case .queue = delivery {
      state.pointee.pendingCount += 1
      registration.pendingSerials.insert(operation.serialNumber)
    }
    store.issueRead(operation)
  }

  /// Processes the completions of pending operations on this thread. With `wait`, blocks
  /// (leaving epoch protection meanwhile, so other sessions progress) until none is left.
  /// Returns true when nothing is pending. Results are dropped: use
  /// `completePendingWithResults(wait:)` to see them. A no-op after `end()` (which
  /// completed everything).
  @discardableResult
  public func completePending(wait: Bool = false) -> Bool {
    _ = completePendingWithResults(wait: wait)
    return state.pointee.pendingCount == 0
  }

  /// Like `completePending(wait:)`, returning each completed operation's result.
  public func completePendingWithResults(wait: Bool = false) -> [CompletedOperation<Layout>] {
    guard !state.pointee.ended else { return [] }
    var results: [CompletedOperation<Layout>] = []
    while true {
      let mustWait = wait && state.pointee.pendingCount > 0
      if mustWait { suspend() }
      let items = completions.takeAll(wait: mustWait)
      refresh()
      for (operation, outcome) in items {
        if let result = finish(operation, outcome) {
          assert(state.pointee.pendingCount > 0, "a completion for an operation that was not pending")
          state.pointee.pendingCount -= 1
          registration.pendingSerials.remove(operation.serialNumber)
          counters.countCompleted(operation.countedKind, result.status)
          results.append(result)
        }
      }
      if !wait || state.pointee.pendingCount == 0 { break }
    }
    return results
  }

  /// Finishes an operation from its device outcome; nil when it went pending again (its
  /// next read is issued).
  func finish(_ operation: PendingOperation<Layout>, _ outcome: PendingOutcome<Layout>) -> CompletedOperation<
    Layout
  >? {
    switch outcome {
    case .read(let status, let value):
      return CompletedOperation(
        serialNumber: operation.serialNumber, kind: .read, status: status, value: value)
    case .failed:
      return CompletedOperation(
        serialNumber: operation.serialNumber, kind: operation.kind, status: .deviceError, value: nil)
    case .fetched(let deviceRecord) where operation.kind == .read:
      let (status, value) = Layout.withKey(operation.key) { key in
        readFromDevice(key, entryAddress: operation.request.entryAddress, deviceRecord)
      }
      return CompletedOperation(
        serialNumber: operation.serialNumber, kind: .read, status: status, value: value)
    case .fetched(let deviceRecord):
      defer { deviceRecord?.deallocate() }
      var request = PendingRequest()
      let status = Layout.withKey(operation.key) { key in
        operation.resume!(core, key, deviceRecord?.record, operation.request.entryAddress, context, &request)
      }
      if status == .pending {
        operation.request = request
        store.issueRead(operation)
        return nil
      }
      return CompletedOperation(
        serialNumber: operation.serialNumber, kind: .readModifyWrite, status: status, value: nil)
    }
  }

  /// Finishes a read whose record came back from the device with the read cache on:
  /// caches it, returns its value and frees it. Call under epoch protection.
  func readFromDevice(_ key: Layout.Key, entryAddress: Address, _ deviceRecord: DeviceRecord?) -> (
    OperationStatus, Layout.Value?
  ) {
    guard let deviceRecord else { return (.notFound, nil) }
    defer { deviceRecord.deallocate() }
    core.cacheDeviceRecord(key, record: deviceRecord.record, expectedEntryAddress: entryAddress)
    return (.ok, Layout.value(ofDeviceRecord: deviceRecord.record))
  }
}
