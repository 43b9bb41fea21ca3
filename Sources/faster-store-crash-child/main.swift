// faster-store-crash-child: CPR crash campaigns for FasterKV with real processes.
//
//   faster-store-crash-child child <directory> <threads> <seed>
//     Opens an empty store (file device and checkpoints in <directory>) and runs upserts,
//     RMWs and deletes from <threads> named sessions ("s0", "s1", ...) while another thread
//     takes checkpoints (fold-over, snapshot, two incremental; every third with the index)
//     and a third compacts the log (by lookup and by scan, alternately, besides the automatic
//     policy, which compacts when the device log passes 1 MB) until killed. It streams to
//     standard output, through the pipe the parent reads:
//       "O <session> <serial> <U|R|D> <key> <value>"  an operation completed (value: what it
//                                                     wrote, 0 for a delete)
//       "C <token> <version> <session>=<serial>[/<pending>,...] ..."  a checkpoint is durable
//       "K <n>" / "k <n> <copied> <reclaimed>"  manual compaction n starts / ends (records
//                                              copied, bytes reclaimed)
//
//   faster-store-crash-child cost <directory> <keys> <changes> <rounds> <page bytes>
//     Measures full vs incremental snapshot checkpoints (CheckpointCost.swift).
//
//   faster-store-crash-child campaign <directory> <points> <seed> [<threads>]
//     Runs a child <points> times, SIGKILLs it at a random moment (during the load, updates,
//     flushes, checkpoint phases), recovers the store in this process and checks the CPR
//     prefix guarantee: for every session, the recovered commit point is at least the one of
//     the newest checkpoint the child acknowledged as durable (nothing acknowledged-durable
//     lost), and every key of the session holds exactly what the session's operations with
//     serial <= its commit point (pending ones excluded) left there: all of them, none after.
//     A deleted key must read as not found (compaction drops tombstones: an older version
//     must not come back). Prints "crash points: N, recovered: N, prefix violations: 0, lost
//     acknowledged-durable operations: 0, killed during compaction: M, compactions: C"
//     and exits 1 when any check failed.
//
// Operations are a function of (session, serial): key = session << 32 | hash(serial) % 512;
// every fourth is an RMW adding the serial, every eighth (from the sixth) a delete, the
// others upsert the serial. The parent replays
// them to know what each key must hold, and checks every acknowledgement against them.

import FasterCore
import FasterStorage
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

typealias Store = FixedSizeStore<UInt64, UInt64>
let keysPerSession: UInt64 = 512

/// Adds its amount (an RMW); the first RMW of a key stores the amount.
struct AddAmount: FixedSizeUpdate {
  let amount: UInt64
  func initialValue() -> UInt64 { amount }
  func updated(_ old: UInt64) -> UInt64 { old &+ amount }
}

func storeOptions(_ directory: String) -> FasterKVOptions {
  var options = FasterKVOptions()
  options.indexSizeBytes = 1 << 16
  options.logMemoryBytes = 1 << 18  // 64 pages of 4 KiB: flushes and evictions all the time
  options.pageSizeBytes = 1 << 12
  options.mutableFraction = 0.5
  options.hugePages = .off
  options.checkpointDirectory = directory + "/checkpoints"
  options.checkpointsToKeep = 2
  var policy = AutoCompactionPolicy(maxDeviceLogBytes: 1 << 20)
  policy.checkIntervalMilliseconds = 20
  policy.method = .lookup
  options.autoCompaction = policy
  return options
}

func openDevice(_ directory: String) throws -> any StorageDevice {
  try Devices.open(.file, options: DeviceOptions(directory: directory + "/log")) { _ in }
}

func operationKey(session: Int, serial: UInt64) -> UInt64 {
  var z = serial &* 0x9E37_79B9_7F4A_7C15
  z = (z ^ (z >> 29)) &* 0xBF58_476D_1CE4_E5B9
  return UInt64(session) << 32 | (z ^ (z >> 32)) % keysPerSession
}

func isRMW(_ serial: UInt64) -> Bool { serial % 4 == 3 }
func isDelete(_ serial: UInt64) -> Bool { serial % 8 == 5 }

func operationCode(_ serial: UInt64) -> String { isRMW(serial) ? "R" : isDelete(serial) ? "D" : "U" }

/// splitmix64.
struct Random {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

/// One write(2) per line batch: lines of one batch stay together (under PIPE_BUF).
func writeOut(_ text: String) {
  var text = text
  text.withUTF8 { bytes in _ = write(STDOUT_FILENO, bytes.baseAddress, bytes.count) }
}

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("child: \(message)\n".utf8))
  exit(3)
}

func runChild(directory: String, threads: Int, seed: UInt64) -> Never {
  let store: Store
  do {
    try FileManager.default.createDirectory(atPath: directory + "/log", withIntermediateDirectories: true)
    store = try Store(options: storeOptions(directory), device: try openDevice(directory))
  } catch { fail("opening the store failed: \(error)") }
  for thread in 0..<threads {
    Thread.detachNewThread {
      let session: FasterSession<FixedSizeRecord<UInt64, UInt64>>
      do { session = try store.newSession(name: "s\(thread)") } catch { fail("newSession: \(error)") }
      var random = Random(state: seed &+ UInt64(thread) &* 0x1234_5678)
      var batch = ""
      while true {
        let serial = session.serialNumber + 1
        let key = operationKey(session: thread, serial: serial)
        let status =
          isRMW(serial)
          ? session.rmw(key, AddAmount(amount: serial))
          : isDelete(serial) ? session.delete(key) : session.upsert(key, serial)
        guard session.serialNumber == serial else {
          fail("serial \(session.serialNumber), expected \(serial)")
        }
        switch status {
        case .ok, .notFound: break
        case .pending:
          for result in session.completePendingWithResults(wait: true) where result.status != .ok {
            fail("a pending operation completed with \(result.status)")
          }
        default: fail("operation \(serial) of s\(thread): \(status)")
        }
        batch += "O \(thread) \(serial) \(operationCode(serial)) \(key) \(isDelete(serial) ? 0 : serial)\n"
        if batch.utf8.count > 3_000 {
          writeOut(batch)
          batch = ""
        }
        if random.next(below: 64) == 0 { session.suspend() }  // idle moments: the driver moves it
      }
    }
  }
  Thread.detachNewThread {
    var random = Random(state: seed ^ 0xC0FF_EE00)
    var count = 0
    while true {
      usleep(UInt32(5_000 + random.next(below: 40_000)))
      count += 1
      // Fold-over, then a snapshot and two incremental snapshots on top of it (deltas).
      let kinds: [CheckpointKind] = [.foldOver, .snapshot, .incrementalSnapshot, .incrementalSnapshot]
      let request = CheckpointRequest(kind: kinds[count % kinds.count], includeIndex: count % 3 == 1)
      do {
        let info = try store.checkpointAndWait(request)
        let points = info.commitPoints.values.sorted { $0.sessionName < $1.sessionName }.map { point in
          "\(point.sessionName)=\(point.serial)"
            + (point.pendingSerials.isEmpty
              ? "" : "/" + point.pendingSerials.map(String.init).joined(separator: ","))
        }
        writeOut("C \(info.token) \(info.version) \(points.joined(separator: " "))\n")
      } catch { fail("checkpoint \(count): \(error)") }
    }
  }
  // Manual compaction of everything already evicted, by lookup and by scan in turn, while
  // the policy's thread compacts too (they take turns on the store's compaction lock).
  Thread.detachNewThread {
    var random = Random(state: seed ^ 0xC0_4AC7)
    var count = 0
    while true {
      usleep(UInt32(2_000 + random.next(below: 20_000)))
      count += 1
      writeOut("K \(count)\n")
      // Push what is in memory towards the device first (the keys would otherwise stay in
      // the mutable region, updated in place, and the log on the device would not grow).
      store.shiftReadOnlyAddress(to: store.tailAddress)
      store.shiftHeadAddress(to: store.readOnlyAddress)
      let report: CompactionReport
      do {
        report = try store.compact(until: store.headAddress, method: count % 2 == 0 ? .scan : .lookup)
      } catch {
        fail("compaction \(count): \(error)")
      }
      writeOut("k \(count) \(report.recordsCopied) \(report.bytesReclaimed)\n")
    }
  }
  while true { sleep(1000) }
}

struct Totals {
  var points = 0
  var recovered = 0
  var prefixViolations = 0
  var lostDurable = 0
  var checkpointsAcknowledged = 0
  var operationsAcknowledged = 0
  var killedDuringCompaction = 0
  var compactions = 0
  var recordsCopied = 0
  var bytesReclaimed = 0
  var problems: [String] = []
}

/// What the child acknowledged before it died.
struct Acknowledged {
  /// The highest serial acknowledged per session.
  var operations: [Int: UInt64] = [:]
  /// The newest durable checkpoint's commit points (session name -> serial) and version.
  var durable: (version: UInt64, points: [String: UInt64])? = nil
  var checkpoints = 0
  /// Manual compactions that ended, and whether one had started and not ended at the kill.
  var compactions = 0
  var compacting = false
  var recordsCopied = 0
  var bytesReclaimed = 0
  var bad: [String] = []

  mutating func parse(_ text: String) {
    for line in text.split(separator: "\n") {
      let parts = line.split(separator: " ")
      if parts.first == "O", parts.count == 6, let session = Int(parts[1]), let serial = UInt64(parts[2]),
        let key = UInt64(parts[4]), let value = UInt64(parts[5])
      {
        if key != operationKey(session: session, serial: serial) || value != (isDelete(serial) ? 0 : serial)
          || parts[3] != operationCode(serial)
        {
          bad.append("acknowledgement '\(line)' is not operation \(serial) of session \(session)")
        }
        operations[session] = Swift.max(operations[session] ?? 0, serial)
      } else if parts.first == "C", parts.count >= 3, let version = UInt64(parts[2]) {
        var points: [String: UInt64] = [:]
        for entry in parts.dropFirst(3) {
          let pair = entry.split(separator: "=")
          guard pair.count == 2, let serial = UInt64(pair[1].split(separator: "/")[0]) else { continue }
          points[String(pair[0])] = serial
        }
        checkpoints += 1
        if version >= durable?.version ?? 0 { durable = (version, points) }
      } else if parts.first == "K", parts.count == 2 {
        compacting = true
      } else if parts.first == "k", parts.count == 4 {
        compacting = false
        compactions += 1
        recordsCopied += Int(parts[2]) ?? 0
        bytesReclaimed += Int(parts[3]) ?? 0
      }
    }
  }
}

/// Recovers the store in `directory` and checks it against `acknowledged`.
func verify(directory: String, threads: Int, acknowledged: Acknowledged, totals: inout Totals) {
  totals.problems += acknowledged.bad
  totals.prefixViolations += acknowledged.bad.count
  let device: any StorageDevice
  do { device = try openDevice(directory) } catch {
    totals.problems.append("opening the device failed: \(error)")
    return
  }
  defer { device.close() }
  let store: Store
  do { store = try Store(recoveringWith: storeOptions(directory), device: device) } catch {
    if case .notFound = error, acknowledged.durable == nil {
      totals.recovered += 1  // killed before its first checkpoint: nothing to recover
      return
    }
    totals.problems.append("recovery failed: \(error)")
    if let durable = acknowledged.durable {
      totals.lostDurable += durable.points.values.reduce(0) { $0 + Int($1) }
    }
    return
  }
  totals.recovered += 1
  guard let info = store.recoveredCheckpoint else {
    totals.problems.append("recovered without a checkpoint")
    return
  }
  // A checkpoint the kill interrupted (no metadata) is expected; a damaged one is not.
  if let damaged = store.recoveryReport?.skipped.filter({ !$0.isIncomplete }), !damaged.isEmpty {
    totals.problems.append("recovery skipped damaged checkpoints: \(damaged)")
  }
  if let durable = acknowledged.durable {
    if info.version < durable.version {
      totals.problems.append(
        "recovered version \(info.version), version \(durable.version) was acknowledged durable")
    }
    for (name, serial) in durable.points {
      let recovered = info.commitPoints[name]?.serial ?? 0
      if recovered < serial {
        totals.lostDurable += Int(serial - recovered)
        totals.problems.append(
          "session \(name): acknowledged durable up to \(serial), recovered \(recovered)")
      }
    }
  }
  let reader: FasterSession<FixedSizeRecord<UInt64, UInt64>>
  do { reader = try store.newSession() } catch {
    totals.problems.append("newSession after recovery: \(error)")
    return
  }
  defer { _ = reader.end() }
  for thread in 0..<threads {
    let point = info.commitPoints["s\(thread)"]
    let limit = point?.serial ?? 0
    let excluded = Set(point?.pendingSerials ?? [])
    // The model: what the session's operations up to its commit point left in each key.
    var expected: [UInt64: UInt64] = [:]
    if limit > 0 {
      for serial in UInt64(1)...limit where !excluded.contains(serial) {
        let key = operationKey(session: thread, serial: serial)
        // A delete removes the key; an RMW of a deleted key starts again from its amount.
        expected[key] = isRMW(serial) ? (expected[key] ?? 0) &+ serial : isDelete(serial) ? nil : serial
      }
    }
    var violations = 0
    for index in 0..<keysPerSession {
      let key = UInt64(thread) << 32 | index
      var value: UInt64 = 0
      var status = reader.read(key, into: &value)
      if status == .pending {
        let results = reader.completePendingWithResults(wait: true)
        status = results.first?.status ?? .deviceError
        if case .some(let completed) = results.first, status == .ok { value = completed.value ?? 0 }
      }
      let want = expected[key]
      let got: UInt64? = status == .ok ? value : (status == .notFound ? nil : UInt64.max)
      if got != want {
        violations += 1
        if violations <= 3 {
          totals.problems.append(
            "session s\(thread), key \(index): holds \(got.map(String.init) ?? "nothing") (status \(status)), its operations up to serial \(limit) leave \(want.map(String.init) ?? "nothing")"
          )
        }
      }
    }
    totals.prefixViolations += violations
  }
}

func runCampaign(directory base: String, points: Int, seed: UInt64, threads: Int) -> Never {
  var random = Random(state: seed)
  var totals = Totals()
  let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
  for point in 0..<points {
    let directory = base + "/point-\(point)"
    try? FileManager.default.removeItem(atPath: directory)
    let process = Process()
    process.executableURL = executable
    process.arguments = ["child", directory, String(threads), String(random.next())]
    let output = Pipe()
    process.standardOutput = output
    // Drained while the child runs, so its writes never block on a full pipe.
    let collected = LockedText()
    let reader = Thread {
      let handle = output.fileHandleForReading
      while true {
        let data = handle.availableData
        if data.isEmpty { break }
        collected.append(data)
      }
      collected.finish()
    }
    do { try process.run() } catch {
      print("campaign: starting the child failed: \(error)")
      exit(2)
    }
    reader.start()
    usleep(UInt32(20_000 + random.next(below: 800_000)))
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    collected.waitUntilFinished()
    totals.points += 1
    if process.terminationReason != .uncaughtSignal {
      totals.problems.append(
        "point \(point): the child exited by itself (status \(process.terminationStatus))")
    }
    var acknowledged = Acknowledged()
    acknowledged.parse(collected.text)
    totals.checkpointsAcknowledged += acknowledged.checkpoints
    totals.operationsAcknowledged += acknowledged.operations.values.reduce(0) { $0 + Int($1) }
    totals.compactions += acknowledged.compactions
    totals.recordsCopied += acknowledged.recordsCopied
    totals.bytesReclaimed += acknowledged.bytesReclaimed
    if acknowledged.compacting { totals.killedDuringCompaction += 1 }
    verify(directory: directory, threads: threads, acknowledged: acknowledged, totals: &totals)
    try? FileManager.default.removeItem(atPath: directory)
  }
  for problem in totals.problems.prefix(20) { print("problem: \(problem)") }
  print(
    "acknowledged: \(totals.operationsAcknowledged) operations, \(totals.checkpointsAcknowledged) durable checkpoints, \(totals.compactions) manual compactions (\(totals.recordsCopied) records copied, \(totals.bytesReclaimed) bytes reclaimed)"
  )
  print(
    "crash points: \(totals.points), recovered: \(totals.recovered), prefix violations: \(totals.prefixViolations), lost acknowledged-durable operations: \(totals.lostDurable), killed during compaction: \(totals.killedDuringCompaction), compactions: \(totals.compactions)"
  )
  let clean =
    totals.problems.isEmpty && totals.recovered == totals.points && totals.prefixViolations == 0
    && totals.lostDurable == 0
  exit(clean ? 0 : 1)
}

/// Text collected from the child's pipe by the reader thread.
final class LockedText: @unchecked Sendable {
  // @unchecked Sendable: every member is guarded by `condition`.
  private let condition = NSCondition()
  private var data = Data()
  private var finished = false

  func append(_ more: Data) { condition.withLock { data.append(more) } }
  func finish() {
    condition.withLock {
      finished = true
      condition.broadcast()
    }
  }
  func waitUntilFinished() {
    condition.withLock { while !finished { condition.wait() } }
  }
  var text: String { condition.withLock { String(decoding: data, as: UTF8.self) } }
}

let arguments = CommandLine.arguments
switch arguments.dropFirst().first {
case "child" where arguments.count == 5:
  guard let threads = Int(arguments[3]), threads > 0, let seed = UInt64(arguments[4]) else { break }
  runChild(directory: arguments[2], threads: threads, seed: seed)
case "campaign" where arguments.count >= 5:
  guard let points = Int(arguments[3]), points > 0, let seed = UInt64(arguments[4]) else { break }
  let threads = arguments.count > 5 ? Int(arguments[5]) ?? 0 : 2
  guard threads > 0 else { break }
  runCampaign(directory: arguments[2], points: points, seed: seed, threads: threads)
case "cost" where arguments.count == 7:
  guard let keys = UInt64(arguments[3]), keys > 0, let changes = Int(arguments[4]), changes >= 0,
    let rounds = Int(arguments[5]), rounds > 0, let pageBytes = Int(arguments[6]),
    pageBytes >= 1 << 12, pageBytes <= 1 << 26, pageBytes.nonzeroBitCount == 1
  else { break }
  runCheckpointCost(
    directory: arguments[2], keys: keys, changes: changes, rounds: rounds, pageBytes: pageBytes)
default: break
}
print(
  "usage: faster-store-crash-child child <directory> <threads> <seed>\n       faster-store-crash-child campaign <directory> <points> <seed> [<threads>]\n       faster-store-crash-child cost <directory> <keys> <changes> <rounds> <page bytes: a power of two, 4096 to 64 MiB>"
)
exit(64)
