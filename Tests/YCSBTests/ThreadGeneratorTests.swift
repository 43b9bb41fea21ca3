import FasterTestSupport
import Testing

@testable import YCSB

@Suite struct ThreadGeneratorTests {
  func makeWorkload(_ text: String) throws -> CoreWorkload {
    try CoreWorkload(properties: Properties(parsing: text, source: "test"))
  }

  func sequence(_ generator: inout ThreadGenerator, count: Int) -> [UInt64] {
    (0..<count).map { _ in
      let operation = generator.nextOperation()
      return UInt64(operation.rawValue) << 56 | generator.nextKeyNumber()
    }
  }

  @Test func sameSeedAndThreadGiveTheSameSequence() throws {
    let workload = try makeWorkload("recordcount=10000\noperationcount=1000\nrequestdistribution=zipfian\n")
    let shared = WorkloadState(workload: workload)
    var first = ThreadGenerator(workload: workload, shared: shared, seed: 99, threadIndex: 2)
    var second = ThreadGenerator(
      workload: workload, shared: WorkloadState(workload: workload), seed: 99, threadIndex: 2)
    #expect(sequence(&first, count: 500) == sequence(&second, count: 500))
  }

  @Test func differentThreadsGetDifferentSequences() throws {
    let workload = try makeWorkload("recordcount=10000\nrequestdistribution=uniform\n")
    let shared = WorkloadState(workload: workload)
    var first = ThreadGenerator(shared: shared, seed: 99, threadIndex: 0)
    var second = ThreadGenerator(shared: shared, seed: 99, threadIndex: 1)
    #expect(sequence(&first, count: 100) != sequence(&second, count: 100))
  }

  @Test(arguments: RequestDistribution.allCases)
  func keysStayWithinLoadedRecords(distribution: RequestDistribution) throws {
    let seed = TestSeed.value(for: "thread.keysStayWithinLoadedRecords(\(distribution))", default: 101)
    let workload = try makeWorkload(
      "recordcount=1000\ninsertstart=0\noperationcount=10000\ninsertproportion=0.1\nreadproportion=0.9\n"
        + "updateproportion=0\nrequestdistribution=\(distribution.rawValue)\n")
    var generator = ThreadGenerator(shared: WorkloadState(workload: workload), seed: seed, threadIndex: 0)
    for _ in 0..<20_000 {
      #expect(generator.nextKeyNumber() < 1000)
    }
  }

  @Test func acknowledgedInsertsBecomeChoosable() throws {
    let workload = try makeWorkload(
      "recordcount=100\nrequestdistribution=latest\ninsertproportion=0.5\nreadproportion=0.5\n")
    let shared = WorkloadState(workload: workload)
    var generator = ThreadGenerator(shared: shared, seed: 5, threadIndex: 0)
    let key = generator.nextInsertKeyNumber()
    #expect(key == 100)
    for _ in 0..<2000 { #expect(generator.nextKeyNumber() < 100) }
    generator.acknowledgeInsert(key)
    var sawNewKey = false
    for _ in 0..<2000 where generator.nextKeyNumber() == 100 { sawNewKey = true }
    #expect(sawNewKey)
  }

  @Test func operationChooserFollowsProportions() throws {
    let seed = TestSeed.value(for: "thread.operationChooserFollowsProportions", default: 102)
    let workload = try makeWorkload(
      "recordcount=100\nreadproportion=2\nupdateproportion=1\nscanproportion=0.5\nreadmodifywriteproportion=0.5\n"
    )
    var generator = ThreadGenerator(shared: WorkloadState(workload: workload), seed: seed, threadIndex: 0)
    var counts = [Int](repeating: 0, count: Operation.allCases.count)
    let trials = 80_000
    for _ in 0..<trials { counts[Int(generator.nextOperation().rawValue)] += 1 }
    #expect(counts[Int(Operation.insert.rawValue)] == 0)
    let observed = [Operation.read, .update, .scan, .readModifyWrite].map { counts[Int($0.rawValue)] }
    let expected = [0.5, 0.25, 0.125, 0.125].map { $0 * Double(trials) }
    #expect(
      Statistics.chiSquare(observed: observed, expected: expected)
        < Statistics.chiSquareBound(degreesOfFreedom: 3))
  }

  @Test func scanLengthsAndFieldsStayInRange() throws {
    let workload = try makeWorkload(
      "recordcount=100\nminscanlength=5\nmaxscanlength=50\nscanlengthdistribution=zipfian\nfieldcount=4\n"
        + "fieldlengthdistribution=uniform\nminfieldlength=10\nfieldlength=20\n")
    var generator = ThreadGenerator(shared: WorkloadState(workload: workload), seed: 3, threadIndex: 0)
    for _ in 0..<5000 {
      #expect((5...50).contains(generator.nextScanLength()))
      #expect((0..<4).contains(generator.nextFieldIndex()))
      #expect((10...20).contains(generator.nextFieldLength()))
    }
  }

  @Test func keyNameUsesWorkloadSettings() throws {
    let workload = try makeWorkload("recordcount=10\ninsertorder=ordered\nzeropadding=6\n")
    let generator = ThreadGenerator(shared: WorkloadState(workload: workload), seed: 1, threadIndex: 0)
    let buffer = UnsafeMutableRawBufferPointer.allocate(
      byteCount: KeyNames.maximumLength(zeroPadding: 6), alignment: 1)
    defer { buffer.deallocate() }
    let length = generator.keyName(42, into: buffer)
    #expect(String(decoding: buffer[0..<length], as: UTF8.self) == "user000042")
  }

  @Test func fillRandomBytesFillsOddLengths() throws {
    let workload = try makeWorkload("recordcount=10\n")
    var generator = ThreadGenerator(shared: WorkloadState(workload: workload), seed: 1, threadIndex: 0)
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 29, alignment: 8)
    defer { buffer.deallocate() }
    buffer.initializeMemory(as: UInt8.self, repeating: 0)
    generator.fillRandomBytes(buffer)
    #expect(buffer.contains { $0 != 0 })
    #expect(buffer[24..<29].contains { $0 != 0 })
  }

  @Test func shareMatchesCoreWorkload() {
    #expect(ThreadGenerator.share(of: 7, thread: 0, threads: 2) == 4)
    #expect(ThreadGenerator.share(of: 7, thread: 1, threads: 2) == 3)
  }
}
