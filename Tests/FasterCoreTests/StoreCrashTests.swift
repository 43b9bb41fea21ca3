import FasterTestSupport
import Foundation
import Testing

/// Crash tests of the store with real processes: `faster-store-crash-child campaign` starts a
/// child running named sessions with checkpoints, SIGKILLs it at random moments, recovers
/// the store and checks the CPR prefix guarantee against what the child acknowledged through
/// a pipe. A short campaign here; `scripts/crash-store.sh` runs hundreds of crash points.
@Suite struct StoreCrashTests {
  /// The crash child next to the test bundle (`swift build --build-tests` builds it).
  static var childPath: String {
    let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    return testBinary.deletingLastPathComponent().appendingPathComponent("faster-store-crash-child").path
  }

  @Test func killedChildrenRecoverExactlyTheCommittedPrefix() throws {
    let path = Self.childPath
    try #require(
      FileManager.default.isExecutableFile(atPath: path),
      "\(path) is missing: build it with swift build --build-tests (or --product faster-store-crash-child)")
    let seed = testSeed("StoreCrashTests.killedChildren")
    let directory = TemporaryDirectory("store-crash")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = ["campaign", directory.path, "5", String(seed), "2"]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    print(text)
    #expect(process.terminationStatus == 0, "\(text)")
    #expect(
      text.contains(
        "crash points: 5, recovered: 5, prefix violations: 0, lost acknowledged-durable operations: 0"))
  }
}
