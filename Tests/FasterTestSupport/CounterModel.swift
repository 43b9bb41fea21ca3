/// A counter: each increment (an RMW of +1 that starts from 1 when the key is absent) adds
/// one; a read returns nil before any increment, else the number of increments.
public enum CounterModel: SequentialModel {
  public static let name = "counter"
  public static let initial: UInt64 = 0

  public static func accepts(_ kind: LinearizabilityChecker.Kind) -> Bool {
    kind == .increment || kind == .read
  }

  public static func apply(_ event: LinearizabilityChecker.Event, to state: inout UInt64) -> Bool {
    switch event.kind {
    case .increment:
      state += 1
      return true
    case .read: return event.value == (state == 0 ? nil : state)
    case .write, .delete: return false
    }
  }
}
