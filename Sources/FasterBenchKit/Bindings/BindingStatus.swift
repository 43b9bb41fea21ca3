/// The outcome of one benchmark operation, as YCSB's report counts it
/// (`Return=OK`, `Return=NOT_FOUND`, `Return=ERROR`).
public enum BindingStatus: UInt8, Sendable, CaseIterable {
  case ok = 0
  case notFound = 1
  case error = 2

  /// YCSB's name for the status in report lines.
  public var ycsbName: String {
    switch self {
    case .ok: "OK"
    case .notFound: "NOT_FOUND"
    case .error: "ERROR"
    }
  }
}
