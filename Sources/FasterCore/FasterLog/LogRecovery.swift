import Dispatch
import FasterStorage
import Logging

/// Opening a FasterLog directory: find the newest intact commit record, then read every
/// committed entry back from the device and check it, cutting the log at the first entry
/// that fails (a torn or corrupt tail). The recovered tail page's bytes are returned for
/// `HybridLog.restore`.
///
/// Cost: one sequential read of the live log ([begin, committed tail)).
///
/// Thread safety: runs once, in `FasterLog.init`, before any other thread can see the log.
enum LogRecovery {
  /// What recovery found.
  struct Outcome {
    var record: LogCommitRecord?
    var report: LogRecoveryReport
    /// The device's bytes of the recovered tail page below the recovered tail.
    var tailPage: [UInt8]
  }

  static func recover(
    files: LogCommitFiles, device: any StorageDevice, pageSizeBytes: Int, logger: Logger
  ) throws(FasterLogError) -> Outcome {
    let start = Address.firstValid
    var report = LogRecoveryReport(
      commitSequence: nil, begin: start, recordedCommittedUntil: start, committedUntil: start,
      skippedCommitRecords: [], cutReason: nil)
    let sequences = try files.sequences()
    var found: LogCommitRecord? = nil
    for sequence in sequences.reversed() {
      let name = files.path(ofSequence: sequence)
      let bytes: [UInt8]
      do { bytes = try files.read(sequence: sequence) } catch {
        report.skippedCommitRecords.append("\(name): \(error.description)")
        continue
      }
      switch LogCommitRecord.decode(bytes) {
      case .success(let record) where record.sequence == sequence:
        found = record
      case .success(let record):
        report.skippedCommitRecords.append("\(name): it holds sequence \(record.sequence)")
      case .failure(let failure):
        report.skippedCommitRecords.append("\(name): \(failure.reason)")
      }
      if found != nil { break }
    }
    guard let record = found else {
      if !report.skippedCommitRecords.isEmpty {
        throw .corruptCommitRecords(report.skippedCommitRecords.joined(separator: "; "))
      }
      return Outcome(record: nil, report: report, tailPage: [])
    }
    for skipped in report.skippedCommitRecords {
      logger.warning(
        "FasterLog recovery: skipped commit record \(skipped); recovered from the older commit \(record.sequence) (committed until \(record.committedUntil)): entries committed after it may be missing"
      )
    }
    guard record.pageSizeBytes == UInt64(pageSizeBytes) else {
      throw .invalidConfiguration(
        "the log in \(files.directory) was written with pageSizeBytes = \(record.pageSizeBytes); FasterLogSettings.log.pageSizeBytes is \(pageSizeBytes): open it with the same page size"
      )
    }
    report.commitSequence = record.sequence
    report.begin = Address(record.begin)
    report.recordedCommittedUntil = Address(record.committedUntil)
    let (tail, tailPage, cutReason) = try verify(
      from: record.begin, until: record.committedUntil, device: device, pageSizeBytes: pageSizeBytes)
    report.committedUntil = Address(tail)
    if let cutReason {
      report.cutReason = cutReason
      logger.error(
        "FasterLog recovery: commit \(record.sequence) names entries until log address \(record.committedUntil), but \(cutReason); the log is cut at \(tail) (\(record.committedUntil - tail) bytes dropped). The device lost or damaged data it had acknowledged as durable: check it."
      )
    }
    return Outcome(record: record, report: report, tailPage: tailPage)
  }

  /// Reads [begin, committed) page by page and checks each entry. Returns the recovered
  /// tail (the committed tail, or the address of the first bad entry), the bytes of its
  /// page below it, and why it was cut, if it was.
  static func verify(
    from begin: UInt64, until committed: UInt64, device: any StorageDevice, pageSizeBytes: Int
  )
    throws(FasterLogError) -> (tail: UInt64, tailPage: [UInt8], cutReason: String?)
  {
    let pageSize = UInt64(pageSizeBytes)
    let alignment = UInt64(device.alignment)
    let buffer = UnsafeMutableRawBufferPointer.allocate(
      byteCount: pageSizeBytes, alignment: Int(Swift.max(alignment, 4096)))
    defer { buffer.deallocate() }
    var address = begin
    var pageStart = begin & ~(pageSize - 1)
    while pageStart < committed {
      let limit = Swift.min(pageStart + pageSize, committed)
      let isTailPage = limit < pageStart + pageSize
      let readEnd = Swift.min((limit + alignment - 1) & ~(alignment - 1), pageStart + pageSize)
      let wanted = Int(readEnd - pageStart)
      let transferred = try readPage(
        at: pageStart, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<wanted]), device: device)
      func cut(_ reason: String) -> (UInt64, [UInt8], String?) {
        (address, Array(buffer[0..<Int(address - pageStart)]), reason)
      }
      guard transferred >= Int(limit - pageStart) else {
        return cut(
          "the device holds only \(transferred) bytes of the page at \(pageStart) (\(limit - pageStart) committed)"
        )
      }
      while address < limit {
        let offset = Int(address - pageStart)
        // Safety: address < limit and the device transferred at least limit - pageStart
        // bytes (checked above); validate reads no more than limit - address bytes.
        let entry = UnsafeRawPointer(buffer.baseAddress! + offset)
        if entry.loadUnaligned(as: UInt64.self) == 0 || Int(limit - address) < 8 {
          if isTailPage {
            return cut("the bytes at \(address) below the committed tail are zero (never written)")
          }
          break  // the unused end of a full page
        }
        switch LogEntryFormat.validate(entry, address: address, available: Int(limit - address)) {
        case .valid(let length):
          address += UInt64(LogEntryFormat.storedSize(ofPayloadLength: length))
        case .corrupt(let reason):
          return cut("the entry at \(address) is torn or corrupt: \(reason)")
        }
      }
      pageStart += pageSize
      address = pageStart
      if isTailPage { return (committed, Array(buffer[0..<Int(committed - (pageStart - pageSize))]), nil) }
    }
    return (committed, [], nil)
  }

  /// Reads `buffer.count` bytes at `offset`, waiting; returns the bytes transferred.
  static func readPage(
    at offset: UInt64, into buffer: UnsafeMutableRawBufferPointer, device: any StorageDevice
  )
    throws(FasterLogError) -> Int
  {
    final class Box: @unchecked Sendable {
      // @unchecked Sendable: `result` is written before `done.signal()` and read after `wait()`.
      let done = DispatchSemaphore(value: 0)
      var result: Result<Int, DeviceError> = .success(0)
    }
    let box = Box()
    device.read(into: buffer, at: offset) { result in
      box.result = result
      box.done.signal()
    }
    box.done.wait()
    switch box.result {
    case .success(let count): return count
    case .failure(let error) where error.kind == .shortTransfer: return 0
    case .failure(let error):
      throw .device(
        DeviceError(
          error.kind, errorNumber: error.errorNumber,
          message: "recovery could not read committed log bytes at \(offset): \(error.message)"))
    }
  }
}
