// The child process of the crash tests (`CrashHarness` in FasterTestSupport): does durable
// work and acknowledges each piece on standard output (`ack <payload>`) only once it is
// durable, until the harness kills it. Modes:
//
//   FasterCrashChild device-writes <directory> [<blocks>]
//     Writes 4 KiB block i (a pattern of i, see `CrashBlock`) at offset i * 4096 through a
//     FileDevice (O_DIRECT, 64 KiB segments), makes it durable with `flush()` (fdatasync),
//     then prints `ack i`. Runs until killed, or for <blocks> blocks and prints `done`.
import FasterStorage
import FasterTestSupport
import Foundation

/// Writes one line to standard output at once (unbuffered: the harness reads it even if
/// the process is killed right after).
func emit(_ line: String) {
  let bytes = Array((line + "\n").utf8)
  var written = 0
  while written < bytes.count {
    let count = bytes[written...].withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
    if count <= 0 { exit(3) }
    written += count
  }
}

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("FasterCrashChild: \(message)\n".utf8))
  exit(2)
}

let arguments = CommandLine.arguments
guard arguments.count >= 3, arguments[1] == "device-writes" else {
  fail("usage: FasterCrashChild device-writes <directory> [<blocks>]")
}
var options = DeviceOptions(directory: arguments[2])
options.segmentSizeBytes = CrashBlock.segmentSizeBytes
options.log = { _ in }
let blocks = arguments.count > 3 ? UInt64(arguments[3]) ?? 0 : UInt64.max
do {
  let device = try FileDevice(options: options)
  let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: CrashBlock.size, alignment: 4096)
  var block: UInt64 = 0
  while block < blocks {
    CrashBlock.fill(buffer, block: block)
    let waiter = CompletionWaiter()
    device.write(UnsafeRawBufferPointer(buffer), at: block * UInt64(CrashBlock.size)) { waiter.finish($0) }
    guard case .success(CrashBlock.size) = waiter.wait() else { fail("write of block \(block) failed") }
    try device.flush()
    emit("ack \(block)")
    block += 1
  }
  emit("done")
} catch {
  fail("\(error)")
}
