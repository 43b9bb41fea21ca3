import Foundation
import YCSB

/// Parses one store's knobs (`rocksdb.*`, `lmdb.*`): rejects names under the prefix that the
/// store does not know, and turns each value into its type or a ``ConfigurationError`` that
/// names the property, the value and the accepted form.
struct PrefixedKnobParser {
  let properties: Properties
  let acceptedForms: [(name: String, form: String)]

  /// - Throws: for a name under `prefix` that is not in `acceptedForms`.
  init(properties: Properties, prefix: String, acceptedForms: [(name: String, form: String)])
    throws(ConfigurationError)
  {
    self.properties = properties
    self.acceptedForms = acceptedForms
    let known = Set(acceptedForms.map(\.name))
    for name in properties.names where name.hasPrefix(prefix) && !known.contains(name) {
      let list = acceptedForms.map(\.name).joined(separator: ", ")
      throw ConfigurationError("unknown knob \(name): the \(prefix)* properties are \(list)")
    }
  }

  func form(_ name: String) -> String { acceptedForms.first { $0.name == name }?.form ?? "" }

  /// A byte size (`64m`, `1g`, ...) of at least `minimum` bytes, or nil when unset.
  func size(_ name: String, minimum: Int = 1) throws(ConfigurationError) -> Int? {
    guard let text = properties[name] else { return nil }
    guard let bytes = ByteSize.parse(text), bytes >= minimum else {
      throw .malformed(name, text, expected: form(name), in: properties)
    }
    return bytes
  }

  /// `on`/`off` (also true/false, yes/no, 1/0), or nil when unset.
  func flag(_ name: String) throws(ConfigurationError) -> Bool? {
    guard let text = properties[name] else { return nil }
    switch text.trimmingCharacters(in: .whitespaces).lowercased() {
    case "on", "true", "yes", "1": return true
    case "off", "false", "no", "0": return false
    default: throw .malformed(name, text, expected: form(name), in: properties)
    }
  }

  /// One of `choices` (case-insensitive), or nil when unset.
  func choice(_ name: String, _ choices: [String]) throws(ConfigurationError) -> String? {
    guard let text = properties[name] else { return nil }
    let value = text.trimmingCharacters(in: .whitespaces).lowercased()
    guard choices.contains(value) else { throw .malformed(name, text, expected: form(name), in: properties) }
    return value
  }

  /// A non-empty path, or nil when unset.
  func path(_ name: String) throws(ConfigurationError) -> String? {
    guard let text = properties[name] else { return nil }
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty else { throw .malformed(name, text, expected: form(name), in: properties) }
    return trimmed
  }
}
