/// A YCSB transaction-phase operation.
public enum Operation: UInt8, CaseIterable, Sendable {
  case read, update, insert, scan, readModifyWrite

  /// The name YCSB reports the operation under ("[READ]", "[READ-MODIFY-WRITE]", ...).
  public var ycsbName: String {
    switch self {
    case .read: "READ"
    case .update: "UPDATE"
    case .insert: "INSERT"
    case .scan: "SCAN"
    case .readModifyWrite: "READ-MODIFY-WRITE"
    }
  }

  /// The CoreWorkload property holding this operation's weight ("readproportion", ...).
  public var proportionPropertyName: String {
    switch self {
    case .read: "readproportion"
    case .update: "updateproportion"
    case .insert: "insertproportion"
    case .scan: "scanproportion"
    case .readModifyWrite: "readmodifywriteproportion"
    }
  }
}
