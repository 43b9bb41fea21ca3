import FasterStorage
import FasterTestSupport
import Foundation
import Testing

@testable import FasterCore

/// Commit policies, async commits, iterators that follow the tail, persistent iterators.
@Suite struct FasterLogCommitTests {
  func openLog(_ directory: TemporaryDirectory, policy: LogCommitPolicy = .manual) throws -> (
    FasterLog, any StorageDevice
  ) {
    let device = try LogTestDevice.file.open(directory)
    return (try FasterLog(settings: smallLogSettings(directory, policy: policy), device: device), device)
  }

  @Test(arguments: [LogCommitPolicy.everyBytes(2_000), .everyMilliseconds(2), .onPageFull])
  func aPolicyCommitsWithoutBeingAsked(policy: LogCommitPolicy) throws {
    let directory = TemporaryDirectory("log-policy")
    let (log, device) = try openLog(directory, policy: policy)
    defer {
      log.close()
      device.close()
    }
    var last = Address.firstValid
    for index in 0..<40 { last = try log.enqueue(logPayload(index, length: 200)) }
    // Every policy has committed past the first page by now, or will without more entries
    // (the timer); none needs a commit call.
    try log.waitForCommit(until: Address(4096))
    #expect(log.committedUntilAddress >= Address(4096))
    if case .everyMilliseconds = policy {
      try log.waitForCommit(until: Address(last.rawValue + 1))
      #expect(log.committedUntilAddress > last)
    }
  }

  @Test func aManualLogCommitsOnlyWhenAsked() throws {
    let directory = TemporaryDirectory("log-manual")
    let (log, device) = try openLog(directory)
    defer {
      log.close()
      device.close()
    }
    for index in 0..<40 { _ = try log.enqueue(logPayload(index, length: 200)) }
    usleep(20_000)
    #expect(log.committedUntilAddress == Address.firstValid)
    try log.commit(wait: false)
    try log.waitForCommit(until: log.tailAddress)
    #expect(log.committedUntilAddress == log.tailAddress)
  }

  @Test func asyncCommitsResumeWhenDurable() async throws {
    let directory = TemporaryDirectory("log-async")
    let (log, device) = try openLog(directory)
    defer {
      log.close()
      device.close()
    }
    let address = try log.enqueue(logPayload(1, length: 30))
    try await log.commit()
    #expect(log.committedUntilAddress > address)
    let addresses = try await withThrowingTaskGroup(of: Address.self) { group in
      for index in 0..<8 {
        group.addTask { try await log.enqueueAndWaitForCommit(logPayload(index, length: 50)) }
      }
      var addresses: [Address] = []
      for try await address in group { addresses.append(address) }
      return addresses
    }
    for address in addresses {
      #expect(log.committedUntilAddress > address)
      #expect(try await log.read(at: address).count == 50)
    }
  }

  @Test func anAsyncIteratorFollowsTheTailAndIsResumedByCommits() async throws {
    let directory = TemporaryDirectory("log-follow")
    let (log, device) = try openLog(directory)
    defer { device.close() }
    let total = 60
    let consumer = Task {
      var seen: [[UInt8]] = []
      for try await entry in log.entries(from: log.beginAddress) {
        seen.append(entry.bytes)
        if seen.count == total { break }
      }
      return seen
    }
    for round in 0..<6 {
      for index in (round * 10)..<(round * 10 + 10) { _ = try log.enqueue(logPayload(index, length: 300)) }
      try await log.commit()
    }
    let seen = try await consumer.value
    #expect(seen == (0..<total).map { logPayload($0, length: 300) })
    // A waiting iterator ends when the log closes.
    let waiting = Task {
      var count = 0
      for try await _ in log.entries(from: log.committedUntilAddress) { count += 1 }
      return count
    }
    try await Task.sleep(nanoseconds: 10_000_000)
    log.close()
    #expect(try await waiting.value == 0)
  }

  @Test func aNamedIteratorResumesWhereItsLastCommitLeftIt() throws {
    let directory = TemporaryDirectory("log-named")
    var resumeAt = Address.firstValid
    do {
      let (log, device) = try openLog(directory)
      for index in 0..<50 { _ = try log.enqueue(logPayload(index, length: 100)) }
      try log.commit(wait: true)
      let iterator = log.iterator(named: "consumer", from: log.beginAddress)
      for _ in 0..<20 { _ = try iterator.next() }
      iterator.complete(until: iterator.nextAddress)
      resumeAt = iterator.nextAddress
      _ = try iterator.next()  // read, not confirmed: not saved
      try log.commit(wait: true)
      log.close()
      device.close()
    }
    let (log, device) = try openLog(directory)
    defer {
      log.close()
      device.close()
    }
    let iterator = log.iterator(named: "consumer", from: log.beginAddress)
    #expect(iterator.nextAddress == resumeAt)
    #expect(try iterator.next()?.bytes == logPayload(20, length: 100))
    #expect(log.iterator(named: "other", from: log.beginAddress).nextAddress == log.beginAddress)
  }

  @Test func concurrentCommitRequestsShareDeviceSyncs() throws {
    let directory = TemporaryDirectory("log-group")
    let (log, device) = try openLog(directory)
    defer {
      log.close()
      device.close()
    }
    let threads = 4
    let perThread = 25
    DispatchQueue.concurrentPerform(iterations: threads) { thread in
      for index in 0..<perThread {
        _ = try! log.enqueueAndWaitForCommit(logPayload(thread * 1000 + index, length: 40))
      }
    }
    #expect(try allEntries(log).count == threads * perThread)
    #expect(device.statistics.flushes <= UInt64(threads * perThread), "commits coalesce")
  }
}
