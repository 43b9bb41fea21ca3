import Dispatch
import FasterStorage

/// Reading one committed entry by address: from memory when its page is still there,
/// else from the device (validated: size, then checksum).
extension FasterLog {
  /// The payload of the committed entry at `address`, blocking while it is read from the
  /// device.
  ///
  /// - Throws: `.truncated` below begin, `.notCommitted` at or past the committed tail,
  ///   `.invalidAddress`, `.corruptEntry` when its bytes fail validation, `.device`.
  /// - Thread safety: any thread (not a Swift concurrency thread when the entry may be on
  ///   the device: use the async overload there).
  public func read(at address: Address) throws(FasterLogError) -> [UInt8] {
    try checkReadable(address)
    if let bytes = try readFromMemory(address) { return bytes }
    final class Box: @unchecked Sendable {
      // @unchecked Sendable: `result` is written before `done.signal()` and read after `wait()`.
      let done = DispatchSemaphore(value: 0)
      var result: Result<[UInt8], FasterLogError> = .failure(.closed)
    }
    let box = Box()
    readFromDevice(address) { result in
      box.result = result
      box.done.signal()
    }
    box.done.wait()
    return try box.result.get()
  }

  /// The payload of the committed entry at `address`; suspends while it is read from the
  /// device. Throws as the synchronous `read(at:)`.
  public func read(at address: Address) async throws(FasterLogError) -> [UInt8] {
    try checkReadable(address)
    if let bytes = try readFromMemory(address) { return bytes }
    let result = await withCheckedContinuation { continuation in
      readFromDevice(address) { continuation.resume(returning: $0) }
    }
    return try result.get()
  }

  func checkReadable(_ address: Address) throws(FasterLogError) {
    if isClosed { throw .closed }
    guard address.rawValue & 7 == 0 else {
      throw .invalidAddress(
        "\(address.rawValue) is not 8-byte aligned: use an address enqueue or an iterator returned")
    }
    let begin = beginWord.load(.acquiring)
    guard address.rawValue >= begin else { throw .truncated(address: address.rawValue, begin: begin) }
    let committed = committedUntilWord.load(.acquiring)
    guard address.rawValue < committed else {
      throw .notCommitted(address: address.rawValue, committedUntil: committed)
    }
  }

  /// The entry's payload if its page is in memory; nil when it is on the device only.
  func readFromMemory(_ address: Address) throws(FasterLogError) -> [UInt8]? {
    let slot = acquireEpochSlot()
    epoch.protect(slot)
    defer { epoch.releaseSlot(slot) }
    // Head is read after protecting: a head shift past this page that we do not see
    // bumps the epoch after our protection, so its eviction waits for us.
    guard address.rawValue >= hybridLog.buffer.headWord.load(.sequentiallyConsistent) else { return nil }
    let pageSize = UInt64(hybridLog.pageSizeBytes)
    let pageEnd = (address.rawValue & ~(pageSize - 1)) + pageSize
    let available = Int(Swift.min(pageEnd, committedUntilWord.load(.acquiring)) - address.rawValue)
    // Safety: the address is in [head, committedUntil): in a frame that stays while this
    // slot is protected, and its bytes are committed (no longer written).
    let entry = UnsafeRawPointer(hybridLog.buffer.pointer(address))
    switch LogEntryFormat.validate(entry, address: address.rawValue, available: available) {
    case .valid(let length): return Array(UnsafeRawBufferPointer(start: entry + 8, count: length))
    case .corrupt(let reason): throw .corruptEntry(address: address.rawValue, reason: reason)
    }
  }

  /// Reads the entry from the device and calls `completion` once, on a device thread.
  func readFromDevice(
    _ address: Address, completion: @escaping @Sendable (Result<[UInt8], FasterLogError>) -> Void
  ) {
    hybridLog.readRecord(at: address, format: LogEntryFormat.self) { result in
      switch result {
      case .success(let record):
        defer { record.deallocate() }
        switch LogEntryFormat.validate(
          UnsafeRawPointer(record.record), address: address.rawValue, available: record.size)
        {
        case .valid(let length):
          completion(.success(Array(UnsafeRawBufferPointer(start: record.record + 8, count: length))))
        case .corrupt(let reason):
          completion(.failure(.corruptEntry(address: address.rawValue, reason: reason)))
        }
      case .failure(let error):
        if error.kind == .corruptData {
          completion(.failure(.corruptEntry(address: address.rawValue, reason: error.message)))
        } else {
          completion(.failure(.device(error)))
        }
      }
    }
  }
}
