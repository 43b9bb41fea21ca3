import FasterCore
import Foundation
import Testing
import YCSB

@testable import FasterBenchKit

/// `faster.batch`: the knob's checks, the engine binding's batched calls (same results as one
/// by one, in order), and whole runs of every standard workload with batches.
@Suite(.serialized) struct BatchedOperationsTests {
  func compactBinding(batchCapacity: Int) throws -> FasterCompactBinding {
    let configuration = try TestSupport.configuration(
      workloads: [TestSupport.workload("faster-c-uniform")],
      overrides: [
        "recordcount=4000", "faster.log.memory=64m", "faster.log.pagesize=1m", "faster.index.size=64k",
      ])
    let shape = RecordShape(workload: configuration.workload, mode: .compact)
    let (options, _) = configuration.knobs.fasterKVOptions(
      shape: shape, expectedRecordCount: 4000, threadCount: 1)
    return try FasterCompactBinding(options: options, batchCapacity: batchCapacity)
  }

  static func payload(_ value: UInt64) -> RecordPayload {
    RecordPayload(
      value: value, record: UnsafeRawBufferPointer(start: nil, count: 0), fieldIndex: -1, fieldLength: 8)
  }

  func value(_ worker: inout FasterCompactBinding.Worker, _ keyNumber: UInt64) -> UInt64? {
    worker.read(keyNumber) == .ok ? worker.lastValue : nil
  }

  /// Batches longer than the binding's capacity are cut into pieces; a key twice in one batch
  /// sees its own earlier write (batch order is operation order).
  @Test func batchedCallsMatchSingleOperationsInOrder() throws {
    let binding = try compactBinding(batchCapacity: 8)
    var worker = try binding.makeWorker(threadIndex: 0)
    defer { worker.close() }
    for key in UInt64(0)..<100 { #expect(worker.insert(key, Self.payload(key &* 10)) == .ok) }

    let keys: [UInt64] = Array(0..<20) + [5000]
    var statuses = [BindingStatus](repeating: .error, count: keys.count)
    keys.withUnsafeBufferPointer { keys in
      statuses.withUnsafeMutableBufferPointer { worker.read(batch: keys, statuses: $0) }
    }
    #expect(Array(statuses[0..<20]) == Array(repeating: .ok, count: 20))
    #expect(statuses[20] == .notFound)
    #expect(worker.lastValue == 190)

    let updateKeys: [UInt64] = [5, 5, 6] + Array(30..<45)
    let updates = updateKeys.enumerated().map { Self.payload(UInt64(1000 + $0.offset)) }
    var updateStatuses = [BindingStatus](repeating: .error, count: updateKeys.count)
    updateKeys.withUnsafeBufferPointer { keys in
      updates.withUnsafeBufferPointer { payloads in
        updateStatuses.withUnsafeMutableBufferPointer { worker.update(batch: keys, payloads, statuses: $0) }
      }
    }
    #expect(updateStatuses.allSatisfy { $0 == .ok })
    #expect(value(&worker, 5) == 1001)
    #expect(value(&worker, 6) == 1002)
    #expect(value(&worker, 44) == 1000 + UInt64(updateKeys.count - 1))

    let rmwKeys: [UInt64] = [7, 7, 6000] + Array(50..<60)
    let deltas = rmwKeys.indices.map { Self.payload(UInt64($0 + 1)) }
    var rmwStatuses = [BindingStatus](repeating: .error, count: rmwKeys.count)
    rmwKeys.withUnsafeBufferPointer { keys in
      deltas.withUnsafeBufferPointer { payloads in
        rmwStatuses.withUnsafeMutableBufferPointer {
          worker.readModifyWrite(batch: keys, payloads, statuses: $0)
        }
      }
    }
    #expect(rmwStatuses.allSatisfy { $0 != .error })
    #expect(value(&worker, 7) == 70 + 1 + 2)
    #expect(value(&worker, 6000) == 3)
    #expect(value(&worker, 59) == 590 + UInt64(rmwKeys.count))
  }

  @Test func batchCannotBeCombinedWithATarget() {
    #expect {
      _ = try TestSupport.configuration(
        workloads: [TestSupport.workload("workloada")], overrides: ["faster.batch=32", "target=1000"])
    } throws: { error in
      let text = (error as? ConfigurationError)?.description ?? ""
      return text.contains("faster.batch=32") && text.contains("target")
    }
  }

  static let workloads: [(file: String, operations: Set<String>)] = [
    ("workloada", ["READ", "UPDATE"]), ("workloadb", ["READ", "UPDATE"]), ("workloadc", ["READ"]),
    ("workloadd", ["READ", "INSERT"]), ("workloade", ["SCAN", "INSERT"]),
    ("workloadf", ["READ", "READ-MODIFY-WRITE"]),
  ]

  /// Every standard workload with batches of 32 (and batches of 7, cutting runs of one kind
  /// at odd places), ycsb and compact records: exact operation counts, all OK, and the knob
  /// in the results.
  @Test(
    arguments: [BindingKind.faster, .dictionary],
    ["workloada", "workloadb", "workloadc", "workloadd", "workloade", "workloadf"])
  func everyWorkloadRunsInBatches(kind: BindingKind, file: String) throws {
    let expected = Self.workloads.first { $0.file == file }!.operations
    for (batch, record) in [(32, "ycsb"), (7, "compact")] {
      let configuration = try TestSupport.configuration(
        workloads: [TestSupport.workload(file)],
        overrides: [
          "recordcount=2000", "operationcount=3001", "threadcount=2", "seed=\(TestSupport.seed(11))",
          "faster.batch=\(batch)", "faster.record=\(record)",
        ])
      let capture = TestSupport.Capture()
      let run = try BindingCatalog.execute(
        kind, command: .run, configuration: configuration, output: capture.output, harnessOperations: 2000)
      #expect(run.knobs.batchSize == batch)
      let phase = try #require(run.phases.last)
      #expect(phase.operations == 3001)
      #expect(Set(phase.operationTypes.map(\.name)) == expected)
      for operation in phase.operationTypes {
        #expect(operation.returnCodes.ok == operation.operations, "\(operation.name) failed in \(file)")
        #expect(operation.latency?.histogram.totalCount == operation.operations)
      }
      #expect(phase.intervals.reduce(0) { $0 + $1.operations } == 3001)
    }
  }

  @Test func singleOperationsRecordNoBatchSize() throws {
    let configuration = try TestSupport.configuration(
      workloads: [TestSupport.workload("workloadc")], overrides: ["recordcount=100", "operationcount=100"])
    #expect(configuration.knobs.batchSize == 1)
    #expect(KnobsRecord(configuration.knobs).batchSize == nil)
  }
}
