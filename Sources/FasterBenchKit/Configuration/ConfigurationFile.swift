import Foundation
import TOMLKit
import YCSB

/// Reads a `--config` file (TOML) into flat properties, the lowest-precedence layer of a
/// ``BenchmarkConfiguration``.
///
/// Tables flatten to dotted names, so these three spellings are the same property:
///
///     faster.log.memory = "2g"
///     "faster.log.memory" = "2g"
///     [faster.log]
///     memory = "2g"
///
/// Values may be strings, integers, floats or booleans (written as YCSB would: `true`, `42`,
/// `0.5`). Arrays, dates and times are rejected with the property's name.
public enum ConfigurationFile {
  /// - Throws: ``ConfigurationError`` naming the file: unreadable, not TOML (with its line and
  ///   column), or a value of a kind properties cannot hold.
  public static func load(path: String) throws(ConfigurationError) -> Properties {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      // Foundation's error text is a domain and a code; the system's reason says what to fix.
      var isDirectory: ObjCBool = false
      let reason =
        access(path, R_OK) != 0
        ? String(cString: strerror(errno))
        : FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
          ? "it is a directory" : "not UTF-8 text"
      throw ConfigurationError(
        "cannot read config file \(path): \(reason); give a readable TOML file to --config")
    }
    return try parse(text, source: path)
  }

  /// Parses TOML text; `source` names it in error messages.
  public static func parse(_ text: String, source: String) throws(ConfigurationError) -> Properties {
    if let problem = TOMLTableHeaderCheck.firstProblem(in: text) {
      throw ConfigurationError(
        "config file \(source) is not valid TOML: \(problem.reason) at line \(problem.line), column \(problem.column)"
      )
    }
    let table: TOMLTable
    do {
      table = try TOMLTable(string: text)
    } catch let error as TOMLParseError {
      throw ConfigurationError(
        "config file \(source) is not valid TOML: \(error.description) at line \(error.source.begin.line), "
          + "column \(error.source.begin.column)")
    } catch {
      throw ConfigurationError("config file \(source) is not valid TOML: \(error)")
    }
    var properties = Properties()
    try flatten(table, prefix: "", into: &properties, source: source)
    return properties
  }

  private static func flatten(
    _ table: TOMLTable, prefix: String, into properties: inout Properties, source: String
  ) throws(ConfigurationError) {
    for key in table.keys {
      let name = prefix.isEmpty ? key : prefix + "." + key
      guard let value = table[key] else { continue }
      switch value.type {
      case .table:
        try flatten(value.table!, prefix: name, into: &properties, source: source)
      case .string:
        properties[name] = value.string!
      case .int:
        properties[name] = String(value.int!)
      case .double:
        properties[name] = String(value.double!)
      case .bool:
        properties[name] = value.bool! ? "true" : "false"
      default:
        throw ConfigurationError(
          "config file \(source): property \(name) is a TOML \(value.type); expected a string, number or boolean"
        )
      }
    }
  }
}
