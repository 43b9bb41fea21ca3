// faster-log-crash-child: crash campaigns for FasterLog with real processes.
//
//   faster-log-crash-child child <directory> <run> <threads> <seed>
//     Opens (recovering) the log in <directory> and appends from <threads> threads until
//     killed. Each thread commits now and then; after each commit returns it writes
//     "A <run> <thread> <sequence>" to standard output: every entry of that thread up to
//     <sequence> is acknowledged as durable.
//
//   faster-log-crash-child hold <directory>
//     Opens the log in <directory> and, once open, writes "held <pid>" and sleeps until
//     killed; when the open fails, writes "refused: <error>" and exits 3 (the tests of
//     the directory lock).
//
//   faster-log-crash-child campaign <directory> <points> <seed> [<threads>]
//     Runs a child <points> times, SIGKILLs it at a random moment, reopens the log in
//     this process and checks that every acknowledged entry is present and intact, each
//     thread's entries form a gap-free prefix, and no torn entry is exposed. Prints
//     "crash points: N, recovered: N, lost acknowledged entries: 0, torn entries exposed: 0"
//     and exits 1 when any check failed.
//
// Entry payload: run u32, thread u32, sequence u32, then bytes derived from the three.

import FasterCore
import FasterStorage
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The log settings both sides use.
func crashLogSettings(_ directory: String) -> FasterLogSettings {
  var settings = FasterLogSettings(directory: directory)
  settings.log = HybridLogSettings(pageSizeBytes: 1 << 16, memoryBytes: 1 << 19, mutableFraction: 0.5)
  settings.commitPolicy = .everyMilliseconds(5)
  return settings
}

let segmentSizeBytes: UInt64 = 1 << 20

func payload(run: Int, thread: Int, sequence: Int, length: Int) -> [UInt8] {
  var bytes: [UInt8] = []
  for value in [UInt32(run), UInt32(thread), UInt32(sequence)] {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
  }
  for index in 0..<Swift.max(0, length - 12) {
    bytes.append(UInt8(truncatingIfNeeded: run &* 7 &+ thread &* 31 &+ sequence &* 13 &+ index))
  }
  return bytes
}

func field(_ bytes: [UInt8], _ index: Int) -> Int {
  Int(
    bytes[(index * 4)..<(index * 4 + 4)].enumerated().reduce(UInt32(0)) {
      $0 | UInt32($1.element) << (8 * $1.offset)
    })
}

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

func writeLine(_ line: String) {
  var text = line + "\n"
  text.withUTF8 { bytes in _ = write(STDOUT_FILENO, bytes.baseAddress, bytes.count) }
}

func openLog(_ directory: String) throws -> FasterLog {
  try FasterLog(settings: crashLogSettings(directory), deviceKind: .file, segmentSizeBytes: segmentSizeBytes)
}

func runChild(directory: String, run: Int, threads: Int, seed: UInt64) -> Never {
  let log: FasterLog
  do { log = try openLog(directory) } catch {
    FileHandle.standardError.write("child: opening the log failed: \(error)\n".data(using: .utf8)!)
    exit(2)
  }
  for thread in 0..<threads {
    Thread.detachNewThread {
      var random = Random(state: seed &+ UInt64(thread) &* 0x1234_5678)
      var sequence = 0
      while true {
        let batch = 1 + random.next(below: 40)
        for _ in 0..<batch {
          let entry = payload(
            run: run, thread: thread, sequence: sequence, length: 12 + random.next(below: 500))
          do { try log.enqueue(entry) } catch {
            FileHandle.standardError.write("child: enqueue failed: \(error)\n".data(using: .utf8)!)
            exit(3)
          }
          sequence += 1
        }
        do { try log.commit(wait: true) } catch {
          FileHandle.standardError.write("child: commit failed: \(error)\n".data(using: .utf8)!)
          exit(3)
        }
        writeLine("A \(run) \(thread) \(sequence - 1)")
      }
    }
  }
  while true { sleep(1000) }
}

struct Totals {
  var points = 0
  var recovered = 0
  var lostAcknowledged = 0
  var tornExposed = 0
  var acknowledgedEntries = 0
  var problems: [String] = []
}

/// Checks the recovered log against the acknowledgements; `acknowledged[run][thread]` is
/// the highest sequence acknowledged.
func verify(directory: String, acknowledged: [Int: [Int: Int]], totals: inout Totals) {
  let log: FasterLog
  do { log = try openLog(directory) } catch {
    totals.problems.append("reopening failed: \(error)")
    return
  }
  defer { log.close() }
  totals.recovered += 1
  if let cut = log.recoveryReport.cutReason { totals.problems.append("recovery cut the log: \(cut)") }
  var found: [Int: [Int: Int]] = [:]  // run -> thread -> entries seen (next sequence)
  let iterator = log.iterator(from: log.beginAddress)
  while true {
    let entry: FasterLogEntry?
    do { entry = try iterator.next() } catch {
      totals.tornExposed += 1
      totals.problems.append("iteration failed: \(error)")
      break
    }
    guard let entry else { break }
    guard entry.bytes.count >= 12 else {
      totals.tornExposed += 1
      continue
    }
    let run = field(entry.bytes, 0)
    let thread = field(entry.bytes, 1)
    let sequence = field(entry.bytes, 2)
    if entry.bytes != payload(run: run, thread: thread, sequence: sequence, length: entry.bytes.count) {
      totals.tornExposed += 1
      totals.problems.append("entry at \(entry.address) is not intact")
      continue
    }
    let expected = found[run, default: [:]][thread, default: 0]
    if sequence != expected {
      totals.problems.append("run \(run) thread \(thread): sequence \(sequence) where \(expected) was due")
    }
    found[run, default: [:]][thread] = sequence + 1
  }
  for (run, threads) in acknowledged {
    for (thread, highest) in threads {
      let present = found[run]?[thread] ?? 0
      if present <= highest {
        totals.lostAcknowledged += highest + 1 - present
        totals.problems.append(
          "run \(run) thread \(thread): acknowledged up to \(highest), recovered \(present) entries")
      }
    }
  }
}

func runCampaign(directory base: String, points: Int, seed: UInt64, threads: Int) -> Never {
  var random = Random(state: seed)
  var totals = Totals()
  var acknowledged: [Int: [Int: Int]] = [:]
  var directory = ""
  let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
  for point in 0..<points {
    if point % 25 == 0 {  // a fresh log now and then keeps recovery scans short
      directory = base + "/log-\(point / 25)"
      try? FileManager.default.removeItem(atPath: directory)
      acknowledged = [:]
    }
    let process = Process()
    process.executableURL = executable
    process.arguments = ["child", directory, String(point), String(threads), String(random.next())]
    let output = Pipe()
    process.standardOutput = output
    do { try process.run() } catch {
      print("campaign: starting the child failed: \(error)")
      exit(2)
    }
    usleep(UInt32(20_000 + random.next(below: 250_000)))
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    totals.points += 1
    if process.terminationReason != .uncaughtSignal {
      totals.problems.append(
        "point \(point): the child exited by itself (status \(process.terminationStatus))")
    }
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
      let parts = line.split(separator: " ")
      guard parts.count == 4, parts[0] == "A", let run = Int(parts[1]), let thread = Int(parts[2]),
        let sequence = Int(parts[3])
      else { continue }
      acknowledged[run, default: [:]][thread] = Swift.max(acknowledged[run]?[thread] ?? -1, sequence)
    }
    verify(directory: directory, acknowledged: acknowledged, totals: &totals)
  }
  totals.acknowledgedEntries = acknowledged.values.flatMap(\.values).reduce(0) { $0 + $1 + 1 }
  for problem in totals.problems.prefix(20) { print("problem: \(problem)") }
  print("acknowledged entries checked in the last log: \(totals.acknowledgedEntries)")
  print(
    "crash points: \(totals.points), recovered: \(totals.recovered), lost acknowledged entries: \(totals.lostAcknowledged), torn entries exposed: \(totals.tornExposed)"
  )
  let clean =
    totals.problems.isEmpty && totals.recovered == totals.points && totals.lostAcknowledged == 0
    && totals.tornExposed == 0
  exit(clean ? 0 : 1)
}

let arguments = CommandLine.arguments
switch arguments.dropFirst().first {
case "child" where arguments.count == 6:
  runChild(
    directory: arguments[2], run: Int(arguments[3])!, threads: Int(arguments[4])!, seed: UInt64(arguments[5])!
  )
case "hold" where arguments.count == 3:
  do {
    let log = try openLog(arguments[2])
    writeLine("held \(getpid())")
    withExtendedLifetime(log) { while true { pause() } }
  } catch {
    writeLine("refused: \(error)")
    exit(3)
  }
case "campaign" where arguments.count >= 5:
  let threads = arguments.count > 5 ? Int(arguments[5])! : 3
  runCampaign(
    directory: arguments[2], points: Int(arguments[3])!, seed: UInt64(arguments[4])!, threads: threads)
default:
  print(
    "usage: faster-log-crash-child child <directory> <run> <threads> <seed>\n       faster-log-crash-child hold <directory>\n       faster-log-crash-child campaign <directory> <points> <seed> [<threads>]"
  )
  exit(64)
}
