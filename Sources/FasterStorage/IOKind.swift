/// The direction of one I/O.
enum IOKind: Sendable {
  case read, write

  /// `"reading"` / `"writing"`, for error messages.
  var verb: String {
    switch self {
    case .read: return "reading"
    case .write: return "writing"
    }
  }
}
