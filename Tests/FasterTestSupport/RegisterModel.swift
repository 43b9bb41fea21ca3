/// A register: upsert sets the value, delete removes it, a read returns it (nil = not found).
public enum RegisterModel: SequentialModel {
  public static let name = "register"
  public static let initial: UInt64? = nil

  public static func accepts(_ kind: LinearizabilityChecker.Kind) -> Bool { kind != .increment }

  public static func apply(_ event: LinearizabilityChecker.Event, to state: inout UInt64?) -> Bool {
    switch event.kind {
    case .write:
      state = event.value
      return true
    case .delete:
      state = nil
      return true
    case .read: return event.value == state
    case .increment: return false
    }
  }

  public static func describe(_ state: UInt64?) -> String { state.map(String.init) ?? "absent" }
}
