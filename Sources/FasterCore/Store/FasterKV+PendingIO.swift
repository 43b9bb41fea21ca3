import FasterPlatform
import FasterStorage

/// The store's side of pending operations: following the hash chain down the device
/// (the hybrid log reads each record, `HybridLog.readRecord`) until the key is found or
/// the chain ends, and handing the outcome to the operation's session or async caller.
///
/// Runs on the caller's thread (the first read) and on device completion threads (the
/// rest). Never blocks and takes no epoch protection: records below head are immutable.
/// A record that fails validation completes the operation with `.deviceError`
/// (`DeviceError.Kind.corruptData`, counted in `statistics.corruptRecordsRead`).
extension FasterKV {
  /// Reads the record at `operation.request.address` and continues from there. Called in
  /// the epoch-protected span that traced the chain to that address: the operation
  /// counts itself among the device readers there, so compaction deletes no segment it
  /// may still need (`DeviceReaderRegistry`).
  func issueRead(_ operation: PendingOperation<Layout>) {
    let ticket = deviceReaders.enter()
    operation.readerTicket = ticket
    operation.chainCutoff = deviceReaders.begin(forTicket: ticket)
    operation.issuedAtNanoseconds = monotonicNanoseconds()
    readChain(operation)
  }

  private func readChain(_ operation: PendingOperation<Layout>) {
    let address = operation.request.address
    log.readRecord(at: address, format: Layout.self) { [self] result in
      switch result {
      case .failure(let error):
        if error.kind == .fileMissing && address < log.beginAddress {
          // Compaction truncated below this reader, which traced the chain after the
          // begin moved: nothing it could find is left below the begin.
          notFoundOnDevice(operation)
          return
        }
        if error.kind == .corruptData { corruptRecordsRead.add(1, ordering: .relaxed) }
        recordDeviceError(error)
        finishDevicePart(operation, .failed(error))
      case .success(let deviceRecord):
        recordRead(deviceRecord, at: address, for: operation)
      }
    }
  }

  private func recordRead(
    _ deviceRecord: DeviceRecord, at address: Address, for operation: PendingOperation<Layout>
  ) {
    let record = deviceRecord.record
    if let problem = Layout.validateDeviceRecord(record, size: deviceRecord.size) {
      deviceRecord.deallocate()
      fail(operation, corrupt: address, problem)
      return
    }
    let info = RecordInfo(rawValue: record.load(as: UInt64.self))
    let matches = !info.isInvalid && Layout.withKey(operation.key) { Layout.keyMatches($0, record: record) }
    guard matches else {
      deviceRecord.deallocate()
      let previous = info.previousAddress
      guard previous < address else {
        fail(operation, corrupt: address, "its chain points forward, to \(previous.rawValue)")
        return
      }
      guard previous >= operation.chainCutoff else {
        notFoundOnDevice(operation)
        return
      }
      operation.request.address = previous
      readChain(operation)
      return
    }
    switch operation.kind {
    case .read where readCache != nil && !info.isTombstone:
      // The session caches it (under its epoch protection) and takes the value from it.
      finishDevicePart(operation, .fetched(deviceRecord))
    case .read:
      let value = info.isTombstone ? nil : Layout.value(ofDeviceRecord: record)
      deviceRecord.deallocate()
      finishDevicePart(operation, .read(info.isTombstone ? .notFound : .ok, value))
    case .readModifyWrite:
      finishDevicePart(operation, .fetched(deviceRecord))
    }
  }

  /// Leaves the device readers and hands the outcome over.
  private func finishDevicePart(_ operation: PendingOperation<Layout>, _ outcome: PendingOutcome<Layout>) {
    if let ticket = operation.readerTicket {
      operation.readerTicket = nil
      deviceReaders.leave(ticket)
    }
    pendingLatency.record(nanoseconds: monotonicNanoseconds() &- operation.issuedAtNanoseconds)
    operation.deliver(outcome)
  }

  private func notFoundOnDevice(_ operation: PendingOperation<Layout>) {
    switch operation.kind {
    case .read: finishDevicePart(operation, .read(.notFound, nil))
    case .readModifyWrite: finishDevicePart(operation, .fetched(nil))
    }
  }

  private func fail(_ operation: PendingOperation<Layout>, corrupt address: Address, _ problem: String) {
    corruptRecordsRead.add(1, ordering: .relaxed)
    let error = log.corruptRecord(at: address.rawValue, problem)
    recordDeviceError(error)
    finishDevicePart(operation, .failed(error))
  }
}
