/// The four store operations, as counted in `OperationStatistics` (and the metric label
/// `kind`).
@frozen
public enum OperationKind: UInt8, Sendable, CaseIterable, Codable, CustomStringConvertible {
  case read
  case upsert
  case rmw
  case delete

  /// The metric label value: `read`, `upsert`, `rmw`, `delete`.
  public var description: String {
    switch self {
    case .read: return "read"
    case .upsert: return "upsert"
    case .rmw: return "rmw"
    case .delete: return "delete"
    }
  }
}
