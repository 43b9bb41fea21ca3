import FasterStorage
import FasterTestSupport
import Foundation
import Testing

/// Concurrent I/O from several threads; rerun under the thread sanitizer by scripts/test.sh.
@Suite struct StorageDeviceConcurrencyTests {
  static let threadCount = 4
  static let blocksPerThread = 48

  @Test(arguments: DeviceUnderTest.allCases)
  func fourThreadsWriteAndReadDisjointBlocks(kind: DeviceUnderTest) throws {
    let seed = testSeed("fourThreadsWriteAndReadDisjointBlocks(\(kind))")
    let directory = TemporaryDirectory()
    defer { directory.remove() }
    let device = try kind.open(directory: directory.path)
    defer { device.close() }
    let failures = FailureLog()
    let threads = (0..<Self.threadCount).map { threadIndex in
      TestThread {
        var random = TestRandom(seed: seed &+ UInt64(threadIndex))
        // Thread t owns blocks t, t + 4, t + 8, ... (4 KiB each), spread over several segments.
        let offsets = (0..<Self.blocksPerThread).map { UInt64(($0 * Self.threadCount + threadIndex) * 4096) }
        let buffers = offsets.map { offset -> AlignedBuffer in
          let buffer = AlignedBuffer(byteCount: 4096)
          buffer.fill(tag: offset ^ seed)
          return buffer
        }
        // Batches of writes in flight at once, interleaved with reads of finished blocks.
        var written: [Int] = []
        for batchStart in stride(from: 0, to: offsets.count, by: 8) {
          let batch = batchStart..<min(batchStart + 8, offsets.count)
          let waiters = batch.map { index in
            let waiter = CompletionWaiter()
            device.write(buffers[index].readOnly, at: offsets[index]) { waiter.finish($0) }
            return waiter
          }
          for (index, waiter) in zip(batch, waiters) where (try? waiter.wait().get()) != 4096 {
            failures.record("write at \(offsets[index]) failed: \(waiter.wait())")
          }
          written.append(contentsOf: batch)
          if let index = written.randomElement(using: &random) {
            let check = AlignedBuffer(byteCount: 4096)
            let result = device.readAndWait(check, at: offsets[index])
            if (try? result.get()) != 4096 || !check.matches(tag: offsets[index] ^ seed) {
              failures.record("read at \(offsets[index]) wrong: \(result)")
            }
          }
        }
        if threadIndex == 0 {
          do { try device.flush() } catch { failures.record("flush failed: \(error)") }
        }
      }
    }
    threads.forEach { $0.start() }
    threads.forEach { $0.join() }
    #expect(failures.messages.isEmpty, "\(failures.messages.prefix(5))")

    let total = Self.threadCount * Self.blocksPerThread
    for block in 0..<total {
      let check = AlignedBuffer(byteCount: 4096)
      let offset = UInt64(block * 4096)
      #expect(try device.readAndWait(check, at: offset).get() == 4096)
      #expect(check.matches(tag: offset ^ seed), "block \(block)")
    }
    #expect(device.statistics.writes == UInt64(total))
  }

  @Test(arguments: [DeviceUnderTest.file, .uring])
  func moreIOsThanTheQueueDepthWaitInsteadOfFailing(kind: DeviceUnderTest) throws {
    let directory = TemporaryDirectory()
    defer { directory.remove() }
    let device = try kind.open(directory: directory.path)  // queue depth 16
    defer { device.close() }
    let buffer = AlignedBuffer(byteCount: 4096)
    buffer.fill(tag: 3)
    let waiters = (0..<200).map { index in
      let waiter = CompletionWaiter()
      device.write(buffer.readOnly, at: UInt64(index % 64) * 4096) { waiter.finish($0) }
      return waiter
    }
    for waiter in waiters {
      #expect(try waiter.wait().get() == 4096)
    }
  }

  @Test(arguments: [DeviceUnderTest.file, .uring])
  func completionsMaySubmitMoreIOWithoutDeadlock(kind: DeviceUnderTest) throws {
    let directory = TemporaryDirectory()
    defer { directory.remove() }
    let device = try kind.open(directory: directory.path)  // queue depth 16
    defer { device.close() }
    let buffer = AlignedBuffer(byteCount: 4096)
    buffer.fill(tag: 9)
    // 32 chains of 8 writes each: every completion submits the next write of its chain, while the
    // queue is full, as a hash-chain walk on disk would.
    let done = (0..<32).map { _ in CompletionWaiter() }
    for chain in 0..<32 {
      let step = ChainStep(device: device, buffer: buffer, chain: chain, remaining: 8, done: done[chain])
      step.run()
    }
    for waiter in done {
      #expect(try waiter.wait().get() == 8)
    }
  }

  @Test func nullDeviceFromManyThreads() throws {
    let device = NullDevice()
    defer { device.close() }
    let buffer = AlignedBuffer(byteCount: 4096)
    let threads = (0..<Self.threadCount).map { _ in
      TestThread {
        for index in 0..<100 {
          _ = device.writeAndWait(buffer, at: UInt64(index) * 4096)
        }
      }
    }
    threads.forEach { $0.start() }
    threads.forEach { $0.join() }
    #expect(device.statistics.writes == UInt64(Self.threadCount * 100))
  }
}

/// One link of a chain of dependent writes, submitted from the previous write's completion.
final class ChainStep: Sendable {
  let device: any StorageDevice
  let buffer: AlignedBuffer
  let chain: Int
  let remaining: Int
  let done: CompletionWaiter

  init(device: any StorageDevice, buffer: AlignedBuffer, chain: Int, remaining: Int, done: CompletionWaiter) {
    self.device = device
    self.buffer = buffer
    self.chain = chain
    self.remaining = remaining
    self.done = done
  }

  func run(completed: Int = 0) {
    device.write(buffer.readOnly, at: UInt64(chain * 4096)) { result in
      guard case .success = result else {
        self.done.finish(result)
        return
      }
      if completed + 1 == self.remaining {
        self.done.finish(.success(completed + 1))
      } else {
        self.run(completed: completed + 1)
      }
    }
  }
}
