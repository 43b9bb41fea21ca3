import FasterStorage

/// Why a scan or a compaction stopped.
public enum ScanError: Error, Equatable, CustomStringConvertible {
  /// The device failed (a read, a corrupt record, a truncation).
  case device(DeviceError)
  /// An argument is out of range; the message names it.
  case invalidArgument(String)
  /// No epoch slot is free for the scanning thread.
  case tooManySessions(Int)
  /// Compaction could not append its copies (the message says why).
  case operationFailed(String)

  public var description: String {
    switch self {
    case .device(let error): return "log scan: \(error)"
    case .invalidArgument(let message): return "log scan: \(message)"
    case .operationFailed(let message): return message
    case .tooManySessions(let capacity):
      return
        "log scan: all \(capacity) epoch entries are in use; end a session or raise FasterKVOptions.maxSessions"
    }
  }
}
