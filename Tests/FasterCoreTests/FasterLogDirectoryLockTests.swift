import FasterStorage
import FasterTestSupport
import Foundation
import Testing

@testable import FasterCore

#if canImport(Glibc)
  import Glibc
#endif

/// One log directory, one open log: a second opener (another process, or this one) is
/// refused with the directory and the holder's pid, and a holder's death (SIGKILL) frees
/// the directory. Real processes: `faster-log-crash-child hold`.
@Suite struct FasterLogDirectoryLockTests {
  static func settings(_ directory: TemporaryDirectory) -> FasterLogSettings {
    var settings = FasterLogSettings(directory: directory.path)
    settings.log = HybridLogSettings(pageSizeBytes: 1 << 16, memoryBytes: 1 << 19, mutableFraction: 0.5)
    return settings
  }

  static func openLog(_ directory: TemporaryDirectory) throws(FasterLogError) -> FasterLog {
    try FasterLog(settings: settings(directory), deviceKind: .file, segmentSizeBytes: 1 << 20)
  }

  @Test func aSecondProcessCannotOpenAnOpenLogAndTheHoldersDeathFreesIt() throws {
    let path = FasterLogCrashTests.childPath
    try #require(
      FileManager.default.isExecutableFile(atPath: path), "\(path) is missing: swift build --build-tests")
    let directory = TemporaryDirectory("log-lock")
    let child = try ChildProcess(executable: path, arguments: ["hold", directory.path])
    let line = try #require(child.nextLine(timeoutSeconds: 60), "the child did not open the log")
    #expect(line == "held \(child.pid)")

    #expect(throws: FasterLogError.directoryLocked(directory: directory.path, holderPID: child.pid)) {
      _ = try Self.openLog(directory)
    }
    let message = FasterLogError.directoryLocked(directory: directory.path, holderPID: child.pid).description
    #expect(message.contains(directory.path) && message.contains("process \(child.pid)"))

    child.kill(SIGKILL)
    #expect(child.wait() == .signaled(SIGKILL))
    let log = try Self.openLog(directory)
    log.close()
  }

  @Test func aSecondProcessIsRefusedWhileThisOneHoldsTheLogAndAdmittedAfterClose() throws {
    let path = FasterLogCrashTests.childPath
    try #require(
      FileManager.default.isExecutableFile(atPath: path), "\(path) is missing: swift build --build-tests")
    let directory = TemporaryDirectory("log-lock")
    let log = try Self.openLog(directory)
    let refused = try ChildProcess(executable: path, arguments: ["hold", directory.path])
    let line = try #require(refused.nextLine(timeoutSeconds: 60))
    guard line.hasPrefix("refused: ") else {
      refused.kill(SIGKILL)
      _ = refused.wait()
      Issue.record("a second process opened the log this process holds: \(line)")
      log.close()
      return
    }
    #expect(line.contains("process \(getpid())") && line.contains(directory.path))
    #expect(refused.wait() == .exited(3))

    log.close()
    let admitted = try ChildProcess(executable: path, arguments: ["hold", directory.path])
    #expect(admitted.nextLine(timeoutSeconds: 60) == "held \(admitted.pid)")
    admitted.kill(SIGKILL)
    _ = admitted.wait()
  }

  @Test func aSecondOpenInOneProcessIsRefused() throws {
    let directory = TemporaryDirectory("log-lock")
    let log = try Self.openLog(directory)
    #expect(throws: FasterLogError.directoryLocked(directory: directory.path, holderPID: getpid())) {
      _ = try Self.openLog(directory)
    }
    log.close()
    try Self.openLog(directory).close()
  }

  @Test func removingAnOpenLogIsRefusedAndAClosedOneGoesEntirely() throws {
    let directory = TemporaryDirectory("log-lock")
    let log = try Self.openLog(directory)
    try log.enqueue(Array("kept".utf8))
    try log.commit(wait: true)
    #expect(throws: FasterLogError.directoryLocked(directory: directory.path, holderPID: getpid())) {
      try FasterLog.remove(directory: directory.path)
    }
    #expect(directory.fileExists("log.0"))
    log.close()
    try FasterLog.remove(directory: directory.path)
    #expect(!FileManager.default.fileExists(atPath: directory.path))
    try FasterLog.remove(directory: directory.path)  // a missing directory: nothing to do
  }
}
