/// Errors of the control plane: opening a store, creating sessions, configuration.
public enum FasterError: Error, Equatable, CustomStringConvertible {
  /// An option is out of range; the message names it and the accepted values.
  case invalidConfiguration(String)
  /// Memory for the index or the log could not be allocated.
  case outOfMemory(String)
  /// Every epoch-table entry is taken by a live session.
  case tooManySessions(Int)

  public var description: String {
    switch self {
    case .invalidConfiguration(let message): return "invalid configuration: \(message)"
    case .outOfMemory(let message): return "out of memory: \(message)"
    case .tooManySessions(let capacity):
      return
        "too many sessions: all \(capacity) epoch-table entries are in use; end a session first or raise FasterKVOptions.maxSessions"
    }
  }
}
