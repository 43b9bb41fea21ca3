// fuzz-seeds: writes the committed seed corpora (Fuzz/corpus/<target>/) with the real
// writers: a FasterLog on a file device (commit records, entries, the recovery scan's
// inputs), key-value stores of each record layout on a file device (records evicted to
// the log file), and fasterbench's own workload and config files. Run by hand when a
// format changes:
//
//   FASTER_FUZZ_BUILD=1 FASTER_SANITIZER_BUILD=1 swift build -c release --scratch-path .build-fuzz \
//     -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing -Xswiftc -use-ld=lld --product fuzz-seeds
//   .build-fuzz/release/fuzz-seeds Fuzz/corpus
import FasterStorage
import Foundation

@testable import FasterCore

struct Wide: Blittable, Equatable {
  var a: UInt64
  var b: UInt64
  var c: UInt64
}

let pageSizeBytes = 4096
guard CommandLine.arguments.count == 2 else {
  FileHandle.standardError.write("usage: fuzz-seeds <corpus directory>\n".data(using: .utf8)!)
  exit(2)
}
let corpus = CommandLine.arguments[1]
let scratch = NSTemporaryDirectory() + "faster-fuzz-seeds-\(getpid())"
defer { try? FileManager.default.removeItem(atPath: scratch) }

func write(_ bytes: [UInt8], _ target: String, _ name: String) {
  let directory = corpus + "/" + target
  try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  try! Data(bytes).write(to: URL(fileURLWithPath: directory + "/" + name))
}

func fileBytes(_ path: String) -> [UInt8] { Array(try! Data(contentsOf: URL(fileURLWithPath: path))) }

func little<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
  withUnsafeBytes(of: value.littleEndian) { Array($0) }
}

// FasterLog: entries of several sizes over two pages, a named iterator, two commits.
do {
  let directory = scratch + "/log"
  var settings = FasterLogSettings(directory: directory)
  settings.log = HybridLogSettings(
    pageSizeBytes: pageSizeBytes, memoryBytes: 4 * pageSizeBytes, hugePages: .off)
  let log = try FasterLog(settings: settings, deviceKind: .file, segmentSizeBytes: 1 << 20)
  for (index, length) in [0, 1, 7, 8, 13, 100, 600].enumerated() {
    _ = try log.enqueue([UInt8](repeating: UInt8(index), count: length))
  }
  try log.commit(wait: true)
  let iterator = log.iterator(named: "reader", from: log.beginAddress)
  _ = try iterator.next()
  if let second = try iterator.next() { iterator.complete(until: second.nextAddress) }
  for index in 0..<12 { _ = try log.enqueue([UInt8](repeating: UInt8(index), count: 300)) }
  try log.commit(wait: true)
  log.close()
  let commits = try FileManager.default.contentsOfDirectory(atPath: directory).filter {
    $0.hasPrefix("commit.") && !$0.hasSuffix(".tmp")
  }.sorted()
  let segment = fileBytes(directory + "/log.0")
  for (index, name) in commits.enumerated() {
    let record = fileBytes(directory + "/" + name)
    write(record, "fuzz-log-commit-record", "commit-\(index)")
    // The recovery input: flags, the record's length, the record, the device's bytes.
    let input = little(UInt16(record.count)) + record + segment
    write([0] + input, "fuzz-log-recovery", "log-\(index)")
    write([3] + input, "fuzz-log-recovery", "log-\(index)-fixed")
  }
  // Entry pages at log address 0 (entries from 64) and 4096.
  write([0] + Array(segment.prefix(pageSizeBytes)), "fuzz-log-entry", "page-0")
  write([1] + Array(segment.prefix(pageSizeBytes)), "fuzz-log-entry", "page-0-fixed")
  // The device-record target reads the record at page 1 (address 4096); an entry is there.
  if segment.count > pageSizeBytes {
    write([3, 0] + Array(segment[pageSizeBytes...].prefix(pageSizeBytes)), "fuzz-device-record", "entry")
  }
}

// Key-value stores of each layout on a file device: enough records to push page 1 out.
func storeOptions() -> FasterKVOptions {
  var options = FasterKVOptions()
  options.indexSizeBytes = 1 << 14
  options.logMemoryBytes = 4 * pageSizeBytes
  options.pageSizeBytes = pageSizeBytes
  options.mutableFraction = 0.5
  options.hugePages = .off
  return options
}

func deviceBytes(_ name: String, _ fill: (any StorageDevice) throws -> Void) throws -> [UInt8] {
  let directory = scratch + "/" + name
  try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  let device = try Devices.open(.file, options: DeviceOptions(directory: directory)) { _ in }
  try fill(device)
  device.close()
  let files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
  return fileBytes(directory + "/" + files.first!)
}

do {
  let fixed = try deviceBytes("fixed") { device in
    let store = try FixedSizeStore<UInt64, UInt64>(options: storeOptions(), device: device)
    let session = try store.newSession()
    for key in UInt64(0)..<2_000 { _ = session.upsert(key, key &* 3) }
  }
  write([0, 0] + Array(fixed[pageSizeBytes...].prefix(pageSizeBytes)), "fuzz-device-record", "fixed")
  let wide = try deviceBytes("wide") { device in
    let store = try FixedSizeStore<UInt64, Wide>(options: storeOptions(), device: device)
    let session = try store.newSession()
    for key in UInt64(0)..<1_000 { _ = session.upsert(key, Wide(a: key, b: 1, c: 2)) }
  }
  write([1, 0] + Array(wide[pageSizeBytes...].prefix(pageSizeBytes)), "fuzz-device-record", "wide")
  let variable = try deviceBytes("variable") { device in
    let store = try VariableLengthStore(options: storeOptions(), device: device)
    let session = try store.newSession()
    for number in 0..<1_000 {
      let key = Array("key\(number)".utf8)
      let value = [UInt8](repeating: UInt8(truncatingIfNeeded: number), count: number % 40)
      key.withUnsafeBytes { k in value.withUnsafeBytes { v in _ = session.upsert(key: k, value: v) } }
    }
  }
  write([2, 0] + Array(variable[pageSizeBytes...].prefix(pageSizeBytes)), "fuzz-device-record", "variable")
}

// Checkpoint files: a store with named sessions, a full fold-over checkpoint, then a
// log-only snapshot checkpoint, then an incremental one (metadata, index, snapshot and
// delta files).
do {
  let directory = scratch + "/checkpoint"
  try FileManager.default.createDirectory(atPath: directory + "/log", withIntermediateDirectories: true)
  var options = storeOptions()
  options.checkpointDirectory = directory + "/checkpoints"
  options.checkpointsToKeep = 3  // all three stay
  let device = try Devices.open(.file, options: DeviceOptions(directory: directory + "/log")) { _ in }
  let store = try FixedSizeStore<UInt64, UInt64>(options: options, device: device)
  let session = try store.newSession(name: "writer")
  for key in UInt64(0)..<300 { _ = session.upsert(key, key) }
  session.suspend()
  let full = try store.checkpointAndWait(CheckpointRequest(kind: .foldOver, includeIndex: true))
  for key in UInt64(0)..<50 { _ = session.upsert(key, key + 1) }
  session.suspend()
  let snapshot = try store.checkpointAndWait(CheckpointRequest(kind: .snapshot, includeIndex: false))
  // An incremental snapshot on top: a delta of the two pages changed in place plus the
  // log appended since.
  for key in [UInt64(3), 250] { _ = session.upsert(key, key + 2) }
  for key in UInt64(300)..<320 { _ = session.upsert(key, key) }
  session.suspend()
  let delta = try store.checkpointAndWait(CheckpointRequest(kind: .incrementalSnapshot, includeIndex: false))
  precondition(delta.kind == .incrementalSnapshot)
  _ = session.end()
  let files = directory + "/checkpoints/"
  write([0] + fileBytes(files + "\(full.token).meta"), "fuzz-checkpoint-files", "foldover.meta")
  write([0] + fileBytes(files + "\(snapshot.token).meta"), "fuzz-checkpoint-files", "snapshot.meta")
  write([1] + fileBytes(files + "\(full.token).index"), "fuzz-checkpoint-files", "full.index")
  write([2] + fileBytes(files + "\(snapshot.token).snapshot"), "fuzz-checkpoint-files", "log.snapshot")
  write([0] + fileBytes(files + "\(delta.token).meta"), "fuzz-checkpoint-files", "incremental.meta")
  write([0] + fileBytes(files + "\(delta.token).delta"), "fuzz-checkpoint-delta", "log.delta")
  write([1] + fileBytes(files + "\(delta.token).delta"), "fuzz-checkpoint-delta", "log.delta.fixed")
  write([2] + fileBytes(files + "\(snapshot.token).snapshot"), "fuzz-checkpoint-delta", "log.snapshot")
  device.close()
}

// fasterbench's inputs: the repository's workload files and a config file as the README
// shows them. The results seed (fuzz-results-json/run-dictionary.json) is a real run's file:
//   fasterbench run dictionary -P workloads/workloadc -p recordcount=50 -p operationcount=50 --json F
let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().path
for name in ["workloada", "workloade", "faster-a-zipf-disk"] {
  write([0] + fileBytes(repository + "/workloads/" + name), "fuzz-workload-file", name)
}
write(
  [1]
    + Array(
      """
      recordcount = 1000
      readallfields = true
      [faster.log]
      memory = "2g"
      mutablefraction = 0.75
      [faster]
      pinning = "none"
      "faster.device" = 'file'

      """.utf8), "fuzz-workload-file", "config.toml")
print("fuzz-seeds: wrote the corpora under \(corpus)")
