/// A benchmark configuration that cannot be used: a malformed knob, an unknown `faster.*` name,
/// an unreadable config file. The description names the property (or file) and the accepted form,
/// so a person can fix the command line without reading the source.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable, Sendable {
  public let description: String

  public init(_ description: String) {
    self.description = description
  }

  /// A property whose value does not parse: names the property, the value and the accepted form.
  static func malformed(_ name: String, _ value: String, expected: String) -> ConfigurationError {
    ConfigurationError("property \(name)=\(value) is malformed: expected \(expected)")
  }
}
