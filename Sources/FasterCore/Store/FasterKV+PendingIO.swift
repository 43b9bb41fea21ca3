import FasterStorage

/// The device side of pending operations: reading a record at an address, following the
/// hash chain down the device when the key there is another one, and handing the
/// outcome to the operation's session or async caller.
///
/// Runs on the caller's thread (the first read) and on device completion threads (the
/// rest). Never blocks and takes no epoch protection: records below head are immutable.
extension FasterKV {
  /// Reads the record at `operation.request.address` (at least `operation.readSize`
  /// bytes, within its page).
  func issueRead(_ operation: PendingOperation<Layout>) {
    guard let device = log.device else {
      operation.deliver(.failed(DeviceError(.invalidArgument, message: "record below head with no device")))
      return
    }
    let address = operation.request.address.rawValue
    let alignment = UInt64(device.alignment)
    let pageSize = UInt64(options.pageSizeBytes)
    let alignedStart = address & ~(alignment - 1)
    let pageEnd = (address & ~(pageSize - 1)) + pageSize
    let wanted = address - alignedStart + UInt64(operation.readSize)
    let length = Swift.min((wanted + alignment - 1) & ~(alignment - 1), pageEnd - alignedStart)
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Int(length), alignment: Int(alignment))
    // The buffer belongs to the read until its completion, which takes it over.
    nonisolated(unsafe) let ownedBuffer = buffer
    device.read(into: buffer, at: alignedStart) { [self] result in
      readCompleted(operation, buffer: ownedBuffer, offset: Int(address - alignedStart), result: result)
    }
  }

  private func readCompleted(
    _ operation: PendingOperation<Layout>, buffer: UnsafeMutableRawBufferPointer, offset: Int,
    result: Result<Int, DeviceError>
  ) {
    let transferred: Int
    switch result {
    case .failure(let error):
      buffer.deallocate()
      recordDeviceError(error)
      operation.deliver(.failed(error))
      return
    case .success(let count): transferred = count
    }
    // Safety: the device filled `transferred` bytes of `buffer`, which this thread owns.
    let record = buffer.baseAddress! + offset
    let available = transferred - offset
    if transferred < buffer.count && (available < 16 || Layout.recordSize(at: record) > available)
      && operation.shortReadRetries < 8
    {
      // A short read (the device returned less than asked): read again.
      operation.shortReadRetries += 1
      buffer.deallocate()
      issueRead(operation)
      return
    }
    guard available >= 16 else {
      buffer.deallocate()
      let error = DeviceError(
        .shortTransfer,
        message:
          "the device returned \(transferred) bytes for the record at log address \(operation.request.address.rawValue); the log file is shorter than the log says (truncated or corrupt)"
      )
      recordDeviceError(error)
      operation.deliver(.failed(error))
      return
    }
    let size = Layout.recordSize(at: record)
    if size > available {
      // A record larger than the first guess: read it whole.
      buffer.deallocate()
      guard size <= options.pageSizeBytes else {
        operation.deliver(.failed(corruptRecord(operation.request.address, size: size)))
        return
      }
      operation.readSize = size
      issueRead(operation)
      return
    }
    let info = RecordInfo(rawValue: record.load(as: UInt64.self))
    let matches = !info.isInvalid && Layout.withKey(operation.key) { Layout.keyMatches($0, record: record) }
    guard matches else {
      buffer.deallocate()
      let previous = info.previousAddress
      guard previous >= log.beginAddress, previous < operation.request.address else {
        notFoundOnDevice(operation)
        return
      }
      operation.request.address = previous
      operation.readSize = Layout.initialReadSize
      issueRead(operation)
      return
    }
    switch operation.kind {
    case .read:
      let value = info.isTombstone ? nil : Layout.value(ofDeviceRecord: record)
      buffer.deallocate()
      operation.deliver(.read(info.isTombstone ? .notFound : .ok, value))
    case .readModifyWrite:
      operation.deliver(.fetched(buffer: buffer, offset: offset))
    }
  }

  private func notFoundOnDevice(_ operation: PendingOperation<Layout>) {
    switch operation.kind {
    case .read: operation.deliver(.read(.notFound, nil))
    case .readModifyWrite: operation.deliver(.fetched(buffer: nil, offset: 0))
    }
  }

  private func corruptRecord(_ address: Address, size: Int) -> DeviceError {
    let error = DeviceError(
      .ioError,
      message:
        "the record at log address \(address.rawValue) claims \(size) bytes, more than a page (\(options.pageSizeBytes)): the log file is corrupt"
    )
    recordDeviceError(error)
    return error
  }
}
