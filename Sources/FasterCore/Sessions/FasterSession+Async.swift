/// The async API: each operation returns its final result, suspending (out of epoch
/// protection) while the device works; the I/O completion itself resumes it.
///
/// One operation at a time per session, as with the synchronous API.
extension FasterSession {
  /// Runs the device part of a pending operation and waits for its outcome.
  func awaitPending(
    kind: CompletedOperation<Layout>.Kind, key: Layout.Key, request: PendingRequest,
    resume: PendingOperation<Layout>.Resume?
  ) async -> PendingOutcome<Layout> {
    let storedKey = Layout.storedKey(key)
    let serialNumber = state.pointee.serialNumber
    let store = self.store
    state.pointee.suspendedAsyncCount += 1
    defer { state.pointee.suspendedAsyncCount -= 1 }
    return await withCheckedContinuation { continuation in
      let operation = PendingOperation<Layout>(
        kind: kind, serialNumber: serialNumber, key: storedKey, request: request, resume: resume,
        delivery: .continuation(continuation))
      // Issued in the protected span that traced the chain (compaction relies on it:
      // `DeviceReaderRegistry`), then out of protection while suspended.
      store.issueRead(operation)
      suspend()
    }
  }

  /// Finishes an RMW from its fetched record, going back to the device while the chain
  /// keeps changing under it.
  func finishRMW(
    key: Layout.Key, request: PendingRequest, resume: @escaping PendingOperation<Layout>.Resume
  ) async -> OperationStatus {
    let status = await fetchAndFinishRMW(key: key, request: request, resume: resume)
    counters.countCompleted(.rmw, status)
    return status
  }

  private func fetchAndFinishRMW(
    key: Layout.Key, request: PendingRequest, resume: @escaping PendingOperation<Layout>.Resume
  ) async -> OperationStatus {
    var request = request
    while true {
      let outcome = await awaitPending(kind: .readModifyWrite, key: key, request: request, resume: resume)
      refresh()
      switch outcome {
      case .failed: return .deviceError
      case .read(let status, _): return status
      case .fetched(let deviceRecord):
        defer { deviceRecord?.deallocate() }
        var next = PendingRequest()
        let status = resume(core, key, deviceRecord?.record, request.entryAddress, context, &next)
        guard status == .pending else { return status }
        request = next
      }
    }
  }
}

extension FasterSession {
  /// Reads `key`: the value, or nil with the status (`.notFound` or an error).
  public func read<K, V>(_ key: K) async -> (status: OperationStatus, value: V?)
  where Layout == FixedSizeRecord<K, V> {
    beginOperation()
    var operation = FixedSizeRead<K, V>()
    var pending = PendingRequest()
    let status = core.read(key, &operation, pending: &pending)
    counters.countIssued(.read, status)
    switch status {
    case .ok: return (.ok, operation.value)
    case .pending:
      let outcome = await awaitPending(kind: .read, key: key, request: pending, resume: nil)
      refresh()
      let result: (status: OperationStatus, value: V?)
      switch outcome {
      case .read(let status, let value): result = (status, value)
      case .fetched(let deviceRecord):
        result = readFromDevice(key, entryAddress: pending.entryAddress, deviceRecord)
      case .failed: result = (.deviceError, nil)
      }
      counters.countCompleted(.read, result.status)
      return result
    default: return (status, nil)
    }
  }

  /// Read-modify-write of `key` (see `rmw(_:_:)`), completed even when the old value is
  /// on the device.
  public func rmw<K, V, U: FixedSizeUpdate>(_ key: K, _ update: U) async -> OperationStatus
  where Layout == FixedSizeRecord<K, V>, U.Value == V {
    beginOperation()
    var operation = FixedSizeReadModifyWrite<K, U>(key: key, update: update)
    var pending = PendingRequest()
    let status = core.readModifyWrite(key, &operation, context: context, pending: &pending)
    counters.countIssued(.rmw, status)
    guard status == .pending else { return status }
    return await finishRMW(key: key, request: pending, resume: Self.resumeFixedRMW(update))
  }
}

extension FasterSession where Layout == VariableLengthRecord {
  /// Reads `key`: the value's bytes, or nil with the status (`.notFound` or an error).
  public func read(key: UnsafeRawBufferPointer) async -> (status: OperationStatus, value: [UInt8]?) {
    beginOperation()
    var pending = PendingRequest()
    var capacity = 256
    while true {
      var bytes = [UInt8](repeating: 0, count: capacity)
      var length = 0
      let status = bytes.withUnsafeMutableBytes { buffer in
        var operation = VariableLengthRead(buffer: buffer)
        let status = core.read(key, &operation, pending: &pending)
        length = operation.valueLength
        return status
      }
      // A buffer too small is retried here with a larger one: counted once, when final.
      if status != .bufferTooSmall { counters.countIssued(.read, status) }
      switch status {
      case .ok: return (.ok, Array(bytes[0..<length]))
      case .bufferTooSmall: capacity = length
      case .pending:
        let outcome = await awaitPending(kind: .read, key: key, request: pending, resume: nil)
        refresh()
        let result: (status: OperationStatus, value: [UInt8]?)
        switch outcome {
        case .read(let status, let value): result = (status, value)
        case .fetched(let deviceRecord):
          result = readFromDevice(key, entryAddress: pending.entryAddress, deviceRecord)
        case .failed: result = (.deviceError, nil)
        }
        counters.countCompleted(.read, result.status)
        return result
      default: return (status, nil)
      }
    }
  }

  /// Read-modify-write of `key` (see `rmw(key:_:)`), completed even when the old value is
  /// on the device.
  public func rmw<U: ByteUpdate>(key: UnsafeRawBufferPointer, _ update: U) async -> OperationStatus {
    beginOperation()
    var operation = VariableLengthReadModifyWrite(key: key, update: update)
    var pending = PendingRequest()
    let status = core.readModifyWrite(key, &operation, context: context, pending: &pending)
    counters.countIssued(.rmw, status)
    guard status == .pending else { return status }
    return await finishRMW(key: key, request: pending, resume: Self.resumeByteRMW(update))
  }
}
