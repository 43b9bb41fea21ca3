import Foundation

/// How the running binary was built, for the results file.
public struct BuildInfo: Codable, Sendable, Equatable {
  /// `git rev-parse HEAD` in the working directory, if git and a repository are there.
  public var gitCommit: String?
  /// The compiler's language version, e.g. `6.3`.
  public var swiftVersion: String
  /// `debug` or `release`.
  public var configuration: String

  /// Read once, when first asked (``Benchmark`` asks before a phase runs): a run that has used
  /// up its file descriptors (many log segments under `ulimit -n`) cannot start `git` any more.
  public static func current() -> BuildInfo { atStart }

  private static let atStart = BuildInfo(
    gitCommit: gitCommit(), swiftVersion: swiftVersion, configuration: configuration)

  static var configuration: String {
    #if DEBUG
      return "debug"
    #else
      return "release"
    #endif
  }

  static var swiftVersion: String {
    #if compiler(>=7.0)
      return ">=7.0"
    #elseif compiler(>=6.3)
      return "6.3"
    #elseif compiler(>=6.2)
      return "6.2"
    #elseif compiler(>=6.1)
      return "6.1"
    #else
      return "6.0"
    #endif
  }

  static func gitCommit() -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "rev-parse", "HEAD"]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      return nil
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    let commit = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return commit.isEmpty ? nil : commit
  }
}
