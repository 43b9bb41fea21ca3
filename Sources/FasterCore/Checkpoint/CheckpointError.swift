import FasterStorage

/// Why a checkpoint or a recovery failed.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
  /// Another checkpoint of this store is running (one at a time; retry when it is done).
  case alreadyRunning
  /// Checkpoints need `FasterKVOptions.checkpointDirectory` and a storage device.
  case notConfigured(String)
  /// The device or a checkpoint file failed.
  case device(DeviceError)
  /// A checkpoint file is damaged: which file, the byte offset, and what is wrong.
  case corrupt(file: String, offset: Int, reason: String)
  /// No (valid) checkpoint, or not the one asked for.
  case notFound(String)
  /// The request cannot be served (e.g. an unimplemented kind, or options that do not
  /// match the checkpoint's).
  case invalidRequest(String)

  public var description: String {
    switch self {
    case .alreadyRunning: "a checkpoint is already running: wait for it to finish, then retry"
    case .notConfigured(let message): "checkpoints are not configured: \(message)"
    case .device(let error): "checkpoint I/O failed: \(error)"
    case .corrupt(let file, let offset, let reason): "corrupt checkpoint file \(file) at offset \(offset): \(reason)"
    case .notFound(let message): "no checkpoint: \(message)"
    case .invalidRequest(let message): "invalid checkpoint request: \(message)"
    }
  }
}
