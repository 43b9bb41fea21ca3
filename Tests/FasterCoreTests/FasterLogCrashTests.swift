import FasterTestSupport
import Foundation
import Testing

/// Crash tests with real processes: `faster-log-crash-child campaign` starts a child that
/// enqueues and commits from several threads, SIGKILLs it at random moments, and checks
/// the recovered log against the commits the child acknowledged through a pipe. A short
/// campaign here; `scripts/crash-fasterlog.sh` runs hundreds of crash points.
@Suite struct FasterLogCrashTests {
  /// The crash child next to the test bundle (`swift build --build-tests` builds it).
  static var childPath: String {
    let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    return testBinary.deletingLastPathComponent().appendingPathComponent("faster-log-crash-child").path
  }

  @Test func killedChildrenLoseNoAcknowledgedEntryAndExposeNoTornOne() throws {
    let path = Self.childPath
    try #require(
      FileManager.default.isExecutableFile(atPath: path),
      "\(path) is missing: build it with swift build --build-tests (or --product faster-log-crash-child)")
    let seed = testSeed("FasterLogCrashTests.killedChildren")
    let directory = TemporaryDirectory("log-crash")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = ["campaign", directory.path, "5", String(seed), "3"]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    print(text)
    #expect(process.terminationStatus == 0, "\(text)")
    #expect(
      text.contains("crash points: 5, recovered: 5, lost acknowledged entries: 0, torn entries exposed: 0"))
  }
}
