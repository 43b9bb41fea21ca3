/// A sequential specification for `LinearizabilityChecker`: the state of one key and how
/// each operation changes it (or is impossible in it).
public protocol SequentialModel {
  associatedtype State: Hashable & Sendable
  /// The model's name in messages.
  static var name: String { get }
  /// The state of a key no operation has touched.
  static var initial: State { get }
  /// Whether operations of `kind` belong to this model.
  static func accepts(_ kind: LinearizabilityChecker.Kind) -> Bool
  /// Applies `event` to `state`; false (state unspecified) when its result is impossible there.
  static func apply(_ event: LinearizabilityChecker.Event, to state: inout State) -> Bool
  /// A state in messages.
  static func describe(_ state: State) -> String
}

extension SequentialModel {
  public static func describe(_ state: State) -> String { String(describing: state) }
}
