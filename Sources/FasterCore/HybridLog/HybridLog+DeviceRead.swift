import Dispatch
import FasterStorage

/// Reading one record at an address below the head from the device, for any record
/// format. Every size comes from the device and is validated before it is used: a record
/// that claims to run past its page, or sizes that make no sense, complete the read with
/// a `.corruptData` error; a device that keeps returning short reads completes it with
/// `.shortTransfer`. Never a crash, never an endless re-read.
extension HybridLog {
  /// Reads beyond the first: enough to learn a record's size and then read it whole, or
  /// to retry a short transfer, with room to spare; more means the device misbehaves.
  static var maximumRecordReadAttempts: Int { 8 }

  /// Reads the record at `address` (below the head) and calls `completion` once, on a
  /// device thread, with the whole record in private memory or the reason it could not.
  func readRecord<Format: LogRecordFormat>(
    at address: Address, format: Format.Type,
    completion: @escaping @Sendable (Result<DeviceRecord, DeviceError>) -> Void
  ) {
    guard let device else {
      completion(.failure(DeviceError(.invalidArgument, message: "record below head with no device")))
      return
    }
    readRecord(
      at: address.rawValue, wanted: Swift.max(8, Format.initialReadSize), attempt: 1, format: format,
      device: device, completion: completion)
  }

  private func readRecord<Format: LogRecordFormat>(
    at address: UInt64, wanted: Int, attempt: Int, format: Format.Type, device: any StorageDevice,
    completion: @escaping @Sendable (Result<DeviceRecord, DeviceError>) -> Void
  ) {
    let alignment = UInt64(device.alignment)
    let pageSize = UInt64(buffer.pageSizeBytes)
    let alignedStart = address & ~(alignment - 1)
    let pageEnd = (address & ~(pageSize - 1)) + pageSize
    guard address & 7 == 0, address + 8 <= pageEnd else {
      completion(
        .failure(corruptRecord(at: address, "a record address must be 8-byte aligned with room for a header"))
      )
      return
    }
    let end = Swift.min((address + UInt64(wanted) + alignment - 1) & ~(alignment - 1), pageEnd)
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(
      byteCount: Int(end - alignedStart), alignment: Int(alignment))
    // The buffer belongs to the read until its completion, which takes it over.
    nonisolated(unsafe) let owned = readBuffer
    device.read(into: readBuffer, at: alignedStart) { [self] result in
      let offset = Int(address - alignedStart)
      let outcome = readOutcome(
        result, buffer: owned, offset: offset, recordAddress: address, pageEnd: pageEnd, format: format)
      switch outcome {
      case .done(let record):
        completion(.success(record))
      case .failed(let error):
        owned.deallocate()
        completion(.failure(error))
      case .readAgain(let wanted, let reason):
        owned.deallocate()
        guard attempt < Self.maximumRecordReadAttempts else {
          completion(
            .failure(
              DeviceError(
                .shortTransfer,
                message:
                  "reading the record at log address \(address) failed after \(attempt) attempts (\(reason)); the log file is shorter than the log says (truncated or corrupt)"
              )))
          return
        }
        readRecord(
          at: address, wanted: wanted, attempt: attempt + 1, format: format, device: device,
          completion: completion)
      }
    }
  }

  /// What to do with a completed record read.
  private enum ReadOutcome {
    case done(DeviceRecord)
    case failed(DeviceError)
    /// Read again, at least `wanted` bytes from the record's start.
    case readAgain(wanted: Int, reason: String)
  }

  private func readOutcome<Format: LogRecordFormat>(
    _ result: Result<Int, DeviceError>, buffer: UnsafeMutableRawBufferPointer, offset: Int,
    recordAddress: UInt64, pageEnd: UInt64, format: Format.Type
  ) -> ReadOutcome {
    let transferred: Int
    switch result {
    case .failure(let error): return .failed(error)
    case .success(let count): transferred = Swift.min(count, buffer.count)
    }
    let available = transferred - offset
    let roomInPage = Int(pageEnd - recordAddress)
    guard available >= 8 else {
      return .readAgain(wanted: 8, reason: "the device returned \(transferred) of \(buffer.count) bytes")
    }
    // Safety: the device filled `transferred` bytes of `buffer`; `available` of them
    // are at and after the record's start, and nothing reads past them below.
    let record = buffer.baseAddress! + offset
    switch Format.storedRecordSize(at: record, available: available) {
    case .corrupt(let reason):
      return .failed(corruptRecord(at: recordAddress, reason))
    case .needsBytes(let needed):
      guard needed > available, needed <= roomInPage else {
        return .failed(
          corruptRecord(at: recordAddress, "its sizes need \(needed) bytes, past its page's end"))
      }
      return .readAgain(wanted: needed, reason: "the record's sizes need \(needed) bytes")
    case .size(let size):
      guard size >= 8, size & 7 == 0, size <= roomInPage else {
        return .failed(
          corruptRecord(at: recordAddress, "it claims \(size) bytes; \(roomInPage) remain in its page"))
      }
      guard size <= available else {
        return .readAgain(wanted: size, reason: "the record is \(size) bytes, \(available) were read")
      }
      return .done(DeviceRecord(buffer: buffer, offset: offset, size: size))
    }
  }

  /// The error for a record that cannot be right: names the log address, the device and
  /// what is wrong. Shared by device reads, scans and the store's record checks.
  func corruptRecord(at address: UInt64, _ reason: String) -> DeviceError {
    DeviceError(
      .corruptData,
      message: "the record at log address \(address) on \(device?.name ?? "no device") is corrupt: \(reason)")
  }
}

extension HybridLog {
  /// `readRecord`, waiting for it: for control-plane threads (scans, compaction) that
  /// hold no epoch protection.
  func readRecordWaiting<Format: LogRecordFormat>(at address: Address, format: Format.Type)
    throws(DeviceError)
    -> DeviceRecord
  {
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var outcome: Result<DeviceRecord, DeviceError> = .failure(
      DeviceError(.invalidArgument, message: "no completion"))
    readRecord(at: address, format: format) { result in
      outcome = result
      done.signal()
    }
    done.wait()
    return try outcome.get()
  }
}
