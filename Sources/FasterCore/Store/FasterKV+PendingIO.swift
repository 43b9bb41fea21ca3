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
  /// Reads the record at `operation.request.address` and continues from there.
  func issueRead(_ operation: PendingOperation<Layout>) {
    let address = operation.request.address
    log.readRecord(at: address, format: Layout.self) { [self] result in
      switch result {
      case .failure(let error):
        if error.kind == .corruptData { corruptRecordsRead.add(1, ordering: .relaxed) }
        recordDeviceError(error)
        operation.deliver(.failed(error))
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
      guard previous >= log.beginAddress else {
        notFoundOnDevice(operation)
        return
      }
      operation.request.address = previous
      issueRead(operation)
      return
    }
    switch operation.kind {
    case .read:
      let value = info.isTombstone ? nil : Layout.value(ofDeviceRecord: record)
      deviceRecord.deallocate()
      operation.deliver(.read(info.isTombstone ? .notFound : .ok, value))
    case .readModifyWrite:
      operation.deliver(.fetched(deviceRecord))
    }
  }

  private func notFoundOnDevice(_ operation: PendingOperation<Layout>) {
    switch operation.kind {
    case .read: operation.deliver(.read(.notFound, nil))
    case .readModifyWrite: operation.deliver(.fetched(nil))
    }
  }

  private func fail(_ operation: PendingOperation<Layout>, corrupt address: Address, _ problem: String) {
    corruptRecordsRead.add(1, ordering: .relaxed)
    let error = log.corruptRecord(at: address.rawValue, problem)
    recordDeviceError(error)
    operation.deliver(.failed(error))
  }
}
