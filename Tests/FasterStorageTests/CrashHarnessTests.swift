import FasterStorage
import FasterTestSupport
import Testing

/// The crash harness for real: a child process (FasterCrashChild) writes blocks through a
/// FileDevice, makes each durable with `flush()` and only then acknowledges it on a pipe; the
/// test SIGKILLs it after a chosen number of acknowledgements and checks that every block it
/// acknowledged reads back intact. Serialized: each test owns one child at a time.
@Suite(.serialized) struct CrashHarnessTests {
  @Test func acknowledgedDurableWritesSurviveSIGKILL() throws {
    var random = TestRandom(seed: testSeed("acknowledgedDurableWritesSurviveSIGKILL"))
    let directory = TemporaryDirectory("crash-device")
    for round in 0..<3 {
      let killAfter = 1 + random.next(below: 40)
      let roundDirectory = directory.file("round-\(round)")
      let outcome = try CrashHarness.run(
        executable: CrashHarness.executable(), arguments: ["device-writes", roundDirectory],
        killAfter: killAfter)
      #expect(outcome.killed, "round \(round): \(outcome.termination), output \(outcome.otherLines)")
      #expect(outcome.termination == .signaled(9), "round \(round): the child died of the SIGKILL")
      #expect(outcome.acknowledged.count >= killAfter)
      let blocks = outcome.acknowledged.compactMap(UInt64.init)
      #expect(blocks == Array(0..<UInt64(blocks.count)), "acknowledgements arrive whole and in order")

      var options = DeviceOptions(directory: roundDirectory)
      options.segmentSizeBytes = CrashBlock.segmentSizeBytes
      options.log = { _ in }
      let device = try FileDevice(options: options)
      defer { device.close() }
      let buffer = AlignedBuffer(byteCount: CrashBlock.size)
      for block in blocks {
        let result = device.readAndWait(buffer, at: block * UInt64(CrashBlock.size))
        #expect(
          (try? result.get()) == CrashBlock.size && CrashBlock.matches(buffer.readOnly, block: block),
          "round \(round): acknowledged block \(block) of \(blocks.count) lost or torn: \(result)")
      }
    }
  }

  /// A child that runs to its end is reaped with its exit status, and every line is collected.
  @Test func aChildLeftAloneFinishes() throws {
    let directory = TemporaryDirectory("crash-finish")
    let outcome = try CrashHarness.run(
      executable: CrashHarness.executable(), arguments: ["device-writes", directory.path, "5"], killAfter: nil
    )
    #expect(!outcome.killed)
    #expect(outcome.termination == .exited(0))
    #expect(outcome.acknowledged == ["0", "1", "2", "3", "4"])
    #expect(outcome.otherLines == ["done"])
  }

  @Test func aFailingChildReportsItsStatus() throws {
    let outcome = try CrashHarness.run(executable: CrashHarness.executable(), arguments: [], killAfter: 1)
    #expect(outcome.termination == .exited(2))
    #expect(outcome.acknowledged.isEmpty)
  }
}
