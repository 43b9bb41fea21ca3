import Foundation
import YCSB

/// A benchmark configuration that cannot be used: a malformed knob, an unknown `faster.*` name,
/// an unreadable config file. The description names the property (or file) and the accepted form,
/// so a person can fix the command line without reading the source.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable, Sendable {
  public let description: String

  public init(_ description: String) {
    self.description = description
  }

  /// A property whose value does not parse or is out of range: names where it was set (file:line,
  /// when it came from a file), the property, the value and the accepted form. A negative number
  /// says so first ("must be ≥ 0"), as that is the usual slip.
  static func malformed(
    _ name: String, _ value: String, expected: String, in properties: Properties? = nil
  ) -> ConfigurationError {
    let location = properties?.origin(of: name).map { "\($0): " } ?? ""
    let trimmed = value.trimmingCharacters(in: .whitespaces)
    if let number = Double(trimmed), number < 0 {
      return ConfigurationError(
        "\(location)property \(name)=\(value) is negative: must be ≥ 0; expected \(expected)")
    }
    return ConfigurationError("\(location)property \(name)=\(value) is malformed: expected \(expected)")
  }

  /// A well-formed value beyond what a run can use: names the value and the accepted range.
  static func outOfRange(
    _ name: String, _ value: String, accepted: String, in properties: Properties? = nil
  ) -> ConfigurationError {
    let location = properties?.origin(of: name).map { "\($0): " } ?? ""
    return ConfigurationError("\(location)property \(name)=\(value) is out of range: expected \(accepted)")
  }
}
