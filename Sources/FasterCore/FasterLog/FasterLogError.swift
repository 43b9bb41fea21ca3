import FasterStorage

/// What went wrong in a FasterLog operation, kept apart by what a person does about it:
/// configuration, device failure (full disk, removed file, I/O error), corruption found on
/// read or recovery, or a misuse of addresses.
///
/// Thread safety: a value type.
public enum FasterLogError: Error, Equatable, CustomStringConvertible {
  /// A setting is out of range; the message names it and the accepted values.
  case invalidConfiguration(String)
  /// Memory for the log could not be allocated, or its address space is used up.
  case outOfMemory(String)
  /// The entry's payload is longer than a page can hold.
  case entryTooLarge(length: Int, maximum: Int)
  /// The storage device failed (its `kind` says how: `.diskFull`, `.fileMissing`, ...).
  /// Once a flush or sync has failed the log accepts no more entries and commits nothing
  /// more; what was acknowledged as committed before stays intact on the device.
  case device(DeviceError)
  /// A commit record could not be written or read (the message names the file and errno).
  case commitRecord(String)
  /// No commit record in the directory is intact (each one's problem is listed).
  case corruptCommitRecords(String)
  /// The entry at this address fails validation (torn or corrupt bytes).
  case corruptEntry(address: UInt64, reason: String)
  /// The address is below the log's begin: truncated away.
  case truncated(address: UInt64, begin: UInt64)
  /// The address is at or past the committed tail: not readable yet.
  case notCommitted(address: UInt64, committedUntil: UInt64)
  /// The address is not one an entry can have (unaligned, or inside the padding of a page).
  case invalidAddress(String)
  /// The log was closed.
  case closed
  /// Another open log (another process, or another `FasterLog` in this one) holds the
  /// directory's lock file; `holderPID` is the pid it recorded, when readable.
  case directoryLocked(directory: String, holderPID: Int32?)

  public var description: String {
    switch self {
    case .invalidConfiguration(let message): return "invalid configuration: \(message)"
    case .outOfMemory(let message): return "out of memory: \(message)"
    case .entryTooLarge(let length, let maximum):
      return
        "entry of \(length) bytes is larger than the \(maximum) bytes a page can hold: raise FasterLogSettings.log.pageSizeBytes or split the entry"
    case .device(let error): return "device error: \(error.message)"
    case .commitRecord(let message): return "commit record: \(message)"
    case .corruptCommitRecords(let message):
      return
        "no intact commit record: \(message); the log cannot be recovered safely (restore the directory from a backup, or move the commit files away to start an empty log)"
    case .corruptEntry(let address, let reason):
      return "the entry at log address \(address) is corrupt: \(reason)"
    case .truncated(let address, let begin):
      return "log address \(address) is below the log's begin (\(begin)): it was truncated"
    case .notCommitted(let address, let committedUntil):
      return
        "log address \(address) is not committed yet (committed until \(committedUntil)): commit first, or iterate with entries(from:) to wait for it"
    case .invalidAddress(let message): return "invalid log address: \(message)"
    case .closed: return "the log is closed"
    case .directoryLocked(let directory, let holder):
      let who = holder.map { "process \($0)" } ?? "another process"
      return
        "the log directory \(directory) is in use: \(who) holds its lock (\(directory)/\(LogDirectoryLock.fileName)); close that log first, or open another directory"
    }
  }
}
