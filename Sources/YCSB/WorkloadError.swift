/// An error in a workload: an unreadable or malformed properties file, or a property whose value
/// CoreWorkload does not accept. The description names the file (and line) or the property, the
/// bad value and the accepted form, so a person can fix the file without reading the code.
public struct WorkloadError: Error, CustomStringConvertible, Equatable, Sendable {
  public enum Kind: Sendable, Equatable {
    /// The file could not be opened or read.
    case unreadableFile
    /// The properties text is malformed (for example a bad `\uXXXX` escape).
    case syntax
    /// A property has a value outside its accepted form.
    case invalidValue
    /// A property asks for something YCSB has and this implementation does not.
    case unsupported
  }

  public let kind: Kind
  /// The property at fault, when there is one.
  public let property: String?
  /// The offending value, when there is one.
  public let value: String?
  /// Where the text came from: "file:line", "file", or nil.
  public let location: String?
  /// What is wrong and what would be accepted.
  public let message: String

  public init(
    kind: Kind, property: String? = nil, value: String? = nil, location: String? = nil,
    message: String
  ) {
    self.kind = kind
    self.property = property
    self.value = value
    self.location = location
    self.message = message
  }

  public var description: String {
    var text = ""
    if let location { text += "\(location): " }
    if let property {
      if let value {
        text += "property '\(property)' has value '\(value)': "
      } else {
        text += "property '\(property)': "
      }
    }
    return text + message
  }

  static func invalid(
    _ property: String, _ value: String, in properties: Properties, accepted: String
  ) -> WorkloadError {
    // A negative number is the usual slip: say so first.
    let negative =
      Double(value).map { $0 < 0 } ?? (value.hasPrefix("-") && value.dropFirst().allSatisfy(\.isNumber))
    return WorkloadError(
      kind: .invalidValue, property: property, value: value,
      location: properties.origin(of: property),
      message: (negative ? "must be ≥ 0; " : "") + "expected \(accepted)")
  }
}
