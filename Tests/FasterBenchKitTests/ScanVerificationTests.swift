import FasterPlatform
import Synchronization
import Testing
import YCSB

@testable import FasterBenchKit

/// A binding that checks every scan against a sorted reference of the names inserted so far
/// (exact with one thread: the reference then equals the index at every scan).
final class ScanCheckingBinding: KeyValueBinding {
  var name: String { "scan-check" }
  let reference: ControlLock<SortedNameReference>
  let scansChecked = Atomic<Int>(0)
  let mismatches = Atomic<Int>(0)
  let emptyScans = Atomic<Int>(0)

  init(hashed: Bool, zeroPadding: Int) {
    reference = ControlLock(SortedNameReference(hashed: hashed, zeroPadding: zeroPadding))
  }

  func makeWorker(threadIndex: Int) throws(BindingError) -> Worker { Worker(binding: self) }
  func statistics() -> JSONValue? { nil }

  struct Worker: BindingWorker {
    let binding: ScanCheckingBinding
    mutating func insert(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus {
      binding.reference.withLock { $0.insert(keyNumber) }
      return .ok
    }
    mutating func read(_ keyNumber: UInt64) -> BindingStatus { .ok }
    mutating func update(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus { .ok }
    mutating func readModifyWrite(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus { .ok }
    mutating func scan(
      from startKeyNumber: UInt64, requestedCount: Int, keyNumbers: UnsafeBufferPointer<UInt64>
    )
      -> BindingStatus
    {
      let expected = binding.reference.withLock { $0.scan(from: startKeyNumber, count: requestedCount) }
      if Array(keyNumbers) != expected { binding.mismatches.add(1, ordering: .relaxed) }
      if keyNumbers.isEmpty { binding.emptyScans.add(1, ordering: .relaxed) }
      binding.scansChecked.add(1, ordering: .relaxed)
      return .ok
    }
    mutating func completePending(wait: Bool) {}
    mutating func close() {}
  }
}

@Suite struct ScanVerificationTests {
  @Test(arguments: [("hashed", 1), ("ordered", 1), ("hashed", 24)])
  func workloadEScansMatchASortedReference(insertOrder: String, zeroPadding: Int) throws {
    let configuration = try TestSupport.configuration(
      workloads: [TestSupport.workload("workloade")],
      overrides: [
        "recordcount=1500", "operationcount=1500", "threadcount=1", "insertorder=\(insertOrder)",
        "zeropadding=\(zeroPadding)", "seed=\(TestSupport.seed(17))",
      ])
    let binding = ScanCheckingBinding(hashed: insertOrder == "hashed", zeroPadding: zeroPadding)
    let capture = TestSupport.Capture()
    let record = try Benchmark.execute(
      .run, binding: binding, configuration: configuration, output: capture.output, harnessOperations: 1000)
    let checked = binding.scansChecked.load(ordering: .relaxed)
    #expect(checked > 1300)
    #expect(binding.mismatches.load(ordering: .relaxed) == 0)
    #expect(binding.emptyScans.load(ordering: .relaxed) < checked / 10)
    let index = try #require(record.phases[1].orderedIndex)
    #expect(index.lookupCount == UInt64(checked))
    #expect(index.insertCount > 0)
    #expect(record.phases[0].orderedIndex?.insertCount == 1500)
  }
}
