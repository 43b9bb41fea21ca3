import Foundation
import Testing
import YCSB

@testable import FasterBenchKit

/// The rocksdb and lmdb bindings on the real libraries, with their files in a temporary
/// directory: load, read back, update (one field and whole records), read-modify-write,
/// scans in key order, knob errors, failures, and the directory removed afterwards.
@Suite(.serialized) struct PeerBindingTests {
  static let compact = RecordShape(
    mode: .compact, fieldCount: 1, fieldLength: 8, insertOrderHashed: true, zeroPadding: 1)
  static let records = RecordShape(
    mode: .ycsb, fieldCount: 4, fieldLength: 16, insertOrderHashed: true, zeroPadding: 1)

  enum Store: String, CaseIterable { case rocksdb, lmdb }

  /// Runs `body` with a fresh binding of `store` whose files go under a new temporary
  /// directory; checks that the directory is empty once the binding is gone.
  func withBinding(
    _ store: Store, shape: RecordShape, properties: [String: String] = [:],
    _ body: (any PeerTestWorker) throws -> Void
  ) throws {
    let parent = try TestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: parent) }
    var all = Properties()
    all["\(store.rawValue).path"] = parent.path
    for (name, value) in properties { all[name] = value }
    do {
      switch store {
      case .rocksdb:
        let binding = try RocksDBBinding(shape: shape, knobs: try RocksDBKnobs(properties: all))
        let worker = try binding.makeWorker(threadIndex: 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path).count == 1)
        try body(PeerWorkerBox(worker: worker))
        #expect(binding.statistics()?["durability"] != nil)
      case .lmdb:
        let binding = try LMDBBinding(
          shape: shape, knobs: try LMDBKnobs(properties: all), expectedRecordCount: 1000)
        let worker = try binding.makeWorker(threadIndex: 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path).count == 1)
        try body(PeerWorkerBox(worker: worker))
        #expect(binding.statistics()?["durability"] != nil)
      }
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path).isEmpty, "files left behind")
  }

  static func payload(_ value: UInt64) -> RecordPayload {
    RecordPayload(
      value: value, record: UnsafeRawBufferPointer(start: nil, count: 0), fieldIndex: -1, fieldLength: 8)
  }

  @Test(arguments: Store.allCases)
  func compactRecordsLoadReadUpdateAndReadModifyWrite(store: Store) throws {
    try withBinding(store, shape: Self.compact) { worker in
      for key in UInt64(0)..<1000 { #expect(worker.insert(key, Self.payload(key &* 3)) == .ok) }
      #expect(worker.readValue(0) == 0)
      #expect(worker.readValue(999) == 2997)
      #expect(worker.read(1000) == .notFound)
      #expect(worker.update(10, Self.payload(77)) == .ok)
      #expect(worker.readValue(10) == 77)
      #expect(worker.readModifyWrite(10, Self.payload(5)) == .ok)
      #expect(worker.readValue(10) == 82)
      #expect(worker.readModifyWrite(5000, Self.payload(9)) == .ok)
      #expect(worker.readValue(5000) == 9)
      worker.close()
    }
  }

  /// Compact keys are big-endian, so the stores' order is the numbers' order: a scan from 995
  /// finds the 5 keys left, one from 100 finds all it asks for.
  @Test(arguments: Store.allCases)
  func scansReadRecordsInKeyOrder(store: Store) throws {
    try withBinding(store, shape: Self.compact) { worker in
      for key in UInt64(0)..<1000 { #expect(worker.insert(key, Self.payload(key)) == .ok) }
      #expect(worker.scanCount(from: 100, requestedCount: 50) == 50)
      #expect(worker.scanCount(from: 995, requestedCount: 50) == 5)
      #expect(worker.scanCount(from: 256, requestedCount: 1) == 1)
      worker.close()
    }
  }

  /// YCSB records: an update rewrites one field and keeps the others; names sort as strings.
  @Test(arguments: Store.allCases)
  func ycsbRecordsKeepUntouchedFields(store: Store) throws {
    let shape = Self.records
    try withBinding(store, shape: shape) { worker in
      let record = UnsafeMutableRawBufferPointer.allocate(byteCount: shape.valueBytes, alignment: 8)
      defer { record.deallocate() }
      for key in UInt64(0)..<200 {
        record.initializeMemory(as: UInt8.self, repeating: UInt8(key % 200))
        let payload = RecordPayload(
          value: 0, record: UnsafeRawBufferPointer(record), fieldIndex: -1, fieldLength: shape.fieldLength)
        #expect(worker.insert(key, payload) == .ok)
      }
      record.initializeMemory(as: UInt8.self, repeating: 0xEE)
      let update = RecordPayload(
        value: 0, record: UnsafeRawBufferPointer(record), fieldIndex: 2, fieldLength: shape.fieldLength)
      #expect(worker.update(42, update) == .ok)
      let stored = try #require(worker.readRecord(42))
      #expect(Array(stored[0..<32]) == Array(repeating: 42, count: 32))
      #expect(Array(stored[32..<48]) == Array(repeating: 0xEE, count: 16))
      #expect(Array(stored[48..<64]) == Array(repeating: 42, count: 16))
      // An update of an absent key makes a zero-filled record with that field.
      #expect(worker.update(9999, update) == .ok)
      let created = try #require(worker.readRecord(9999))
      #expect(Array(created[0..<32]) == Array(repeating: 0, count: 32))
      #expect(Array(created[32..<48]) == Array(repeating: 0xEE, count: 16))
      // A scan covers exactly the names the ordered index chooses.
      let index = OrderedKeyIndex(order: try KeyOrder(shape: shape))
      for key in UInt64(0)..<200 { index.insert(key) }
      index.insert(9999)
      for start in [UInt64(0), 17, 123, 199] {
        var chosen = [UInt64](repeating: 0, count: 30)
        let found = chosen.withUnsafeMutableBufferPointer { index.collect(from: start, into: $0) }
        #expect(worker.scanCount(from: start, requestedCount: 30) == found)
        #expect(
          chosen.withUnsafeBufferPointer { worker.scanStatus(from: start, 30, Array($0[0..<found])) } == .ok)
      }
      worker.close()
    }
  }

  @Test func lmdbReportsAFullMapAsAnErrorNamingTheKnob() throws {
    let shape = RecordShape(
      mode: .ycsb, fieldCount: 10, fieldLength: 100, insertOrderHashed: true, zeroPadding: 1)
    let parent = try TestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: parent) }
    var properties = Properties()
    properties["lmdb.path"] = parent.path
    properties["lmdb.mapsize"] = "1m"
    let binding = try LMDBBinding(
      shape: shape, knobs: try LMDBKnobs(properties: properties), expectedRecordCount: 10)
    var worker = try binding.makeWorker(threadIndex: 0)
    let record = UnsafeMutableRawBufferPointer.allocate(byteCount: shape.valueBytes, alignment: 8)
    defer { record.deallocate() }
    record.initializeMemory(as: UInt8.self, repeating: 1)
    let payload = RecordPayload(
      value: 0, record: UnsafeRawBufferPointer(record), fieldIndex: -1, fieldLength: 100)
    var firstError: BindingStatus? = nil
    for key in UInt64(0)..<5000 where firstError == nil {
      let status = worker.insert(key, payload)
      if status != .ok { firstError = status }
    }
    worker.close()
    #expect(firstError == .error)
    #expect(binding.firstErrorDescription()?.contains("lmdb.mapsize") == true)
  }

  @Test(arguments: Store.allCases)
  func anUnusableDirectoryIsAClearError(store: Store) throws {
    let file = try TestSupport.writeFile("not a directory")
    var properties = Properties()
    properties["\(store.rawValue).path"] = file
    #expect {
      switch store {
      case .rocksdb:
        _ = try RocksDBBinding(shape: Self.compact, knobs: try RocksDBKnobs(properties: properties))
      case .lmdb:
        _ = try LMDBBinding(
          shape: Self.compact, knobs: try LMDBKnobs(properties: properties), expectedRecordCount: 1)
      }
    } throws: { error in
      let text = (error as? BindingError)?.description ?? ""
      return text.contains("\(store.rawValue).path") && text.contains(file)
    }
  }

  @Test(arguments: [
    ("rocksdb.blockcach", "1g", "unknown knob rocksdb.blockcach"),
    ("rocksdb.blockcache", "lots", "rocksdb.blockcache=lots"),
    ("rocksdb.writebuffer", "1k", "at least 1m"), ("rocksdb.compression", "gzip", "none, snappy, lz4, zstd"),
    ("rocksdb.wal", "maybe", "on or off"), ("lmdb.mapsize", "12", "at least 1m"),
    ("lmdb.nosync", "2", "on or off"),
    ("lmdb.writemapp", "on", "unknown knob lmdb.writemapp"),
  ])
  func malformedKnobsNameThePropertyAndTheAcceptedForm(name: String, value: String, expected: String) {
    #expect {
      _ = try TestSupport.configuration(
        workloads: [TestSupport.workload("workloada")], overrides: ["\(name)=\(value)"])
    } throws: { error in
      ((error as? ConfigurationError)?.description ?? "").contains(expected)
    }
  }

  @Test func syncNeedsTheWriteAheadLog() {
    #expect {
      _ = try TestSupport.configuration(
        workloads: [TestSupport.workload("workloada")], overrides: ["rocksdb.wal=off", "rocksdb.sync=on"])
    } throws: { error in
      ((error as? ConfigurationError)?.description ?? "").contains("rocksdb.wal=on")
    }
  }

  @Test func knobsAreParsedAndRecordedAsDurability() throws {
    let configuration = try TestSupport.configuration(
      workloads: [TestSupport.workload("workloada")],
      overrides: [
        "rocksdb.blockcache=64m", "rocksdb.writebuffer=8m", "rocksdb.compression=lz4", "rocksdb.sync=on",
        "lmdb.mapsize=2g", "lmdb.nosync=off", "lmdb.nometasync=on", "lmdb.writemap=on",
      ])
    #expect(configuration.warnings.isEmpty)
    #expect(configuration.rocksDB.blockCacheBytes == 64 << 20)
    #expect(configuration.rocksDB.writeBufferBytes == 8 << 20)
    #expect(configuration.rocksDB.compression == "lz4")
    #expect(configuration.rocksDB.sync && configuration.rocksDB.writeAheadLog)
    #expect(configuration.lmdb.mapSizeBytes == 2 << 30)
    #expect(!configuration.lmdb.noSync && configuration.lmdb.noMetaSync && configuration.lmdb.writeMap)
  }
}

/// The calls the tests make on either peer's worker.
protocol PeerTestWorker {
  func insert(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus
  func read(_ keyNumber: UInt64) -> BindingStatus
  func readValue(_ keyNumber: UInt64) -> UInt64?
  func readRecord(_ keyNumber: UInt64) -> [UInt8]?
  func update(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus
  func readModifyWrite(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus
  func scanCount(from startKeyNumber: UInt64, requestedCount: Int) -> Int
  func scanStatus(from startKeyNumber: UInt64, _ requestedCount: Int, _ keyNumbers: [UInt64]) -> BindingStatus
  func close()
}

/// A peer worker (a struct with mutating calls) behind a class, for the tests' shared code.
final class PeerWorkerBox<Worker: PeerWorkerInspection>: PeerTestWorker {
  var worker: Worker
  init(worker: Worker) { self.worker = worker }
  func insert(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus {
    worker.insert(keyNumber, payload)
  }
  func read(_ keyNumber: UInt64) -> BindingStatus { worker.read(keyNumber) }
  func readValue(_ keyNumber: UInt64) -> UInt64? { worker.read(keyNumber) == .ok ? worker.lastValue : nil }
  func readRecord(_ keyNumber: UInt64) -> [UInt8]? {
    worker.read(keyNumber) == .ok ? Array(worker.recordBuffer) : nil
  }
  func update(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus {
    worker.update(keyNumber, payload)
  }
  func readModifyWrite(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus {
    worker.readModifyWrite(keyNumber, payload)
  }
  func scanCount(from startKeyNumber: UInt64, requestedCount: Int) -> Int {
    _ = worker.scan(
      from: startKeyNumber, requestedCount: requestedCount,
      keyNumbers: UnsafeBufferPointer(start: nil, count: 0))
    return worker.lastScanCount
  }
  func scanStatus(from startKeyNumber: UInt64, _ requestedCount: Int, _ keyNumbers: [UInt64]) -> BindingStatus
  {
    keyNumbers.withUnsafeBufferPointer {
      worker.scan(from: startKeyNumber, requestedCount: requestedCount, keyNumbers: $0)
    }
  }
  func close() { worker.close() }
}

/// What the tests read of a peer worker beyond the binding protocol.
protocol PeerWorkerInspection: BindingWorker {
  var lastValue: UInt64 { get }
  var lastScanCount: Int { get }
  var recordBuffer: UnsafeMutableRawBufferPointer { get }
}

extension RocksDBBinding.Worker: PeerWorkerInspection {}
extension LMDBBinding.Worker: PeerWorkerInspection {}
