import FasterTestSupport
import Testing

@testable import FasterCore

/// The tail word holds a 32-bit page number; addresses hold 48 bits. The log refuses to
/// open a page past the largest one both can hold and says `.outOfAddressSpace`, instead
/// of wrapping the tail to page 0. The log starts near the limit through a test hook
/// (nothing is written below it).
@Suite struct AddressSpaceLimitTests {
  /// Fills a fresh store that starts `pagesBeforeLimit` pages below the last page it may
  /// open: returns the statuses seen and whether the tail ever moved backwards.
  func fillToTheLimit(pageBits: Int) throws -> (okCount: Int, last: OperationStatus, tailWentBack: Bool) {
    var options = smallOptions(indexBytes: 1 << 16, logBytes: 16 << pageBits, pageBytes: 1 << pageBits)
    options.maxSessions = 1
    let store = try FixedSizeStore<UInt64, UInt64>(options: options)
    let lastPage = store.log.buffer.lastOpenablePage
    store.log.startEmptyLog(atPage: lastPage - 3)
    let session = try store.newSession()
    var tail = store.tailAddress
    var tailWentBack = false
    var okCount = 0
    var last = OperationStatus.ok
    let recordsPerPage = (1 << pageBits) / 24
    for key in 0..<UInt64(recordsPerPage * 8) {
      last = session.upsert(key, key)
      if store.tailAddress < tail { tailWentBack = true }
      tail = store.tailAddress
      if last != .ok { break }
      okCount += 1
    }
    #expect(tail.rawValue <= Address.mask)
    return (okCount, last, tailWentBack)
  }

  @Test func fourKiBPagesStopAtTheTailWordsPageLimit() throws {
    // 48 - 12 = 36 bits of page number in an address, 32 in the tail word.
    let (okCount, last, tailWentBack) = try fillToTheLimit(pageBits: 12)
    #expect(!tailWentBack, "the tail's page number wrapped")
    #expect(last == .outOfAddressSpace)
    #expect(okCount >= 3 * (4096 / 24) && okCount <= 4 * (4096 / 24), "four pages fit below the limit")
  }

  @Test func largePagesStopAtTheAddressLimit() throws {
    // 48 - 16 = 32 bits of page number: the address is the limit (its last page would
    // end at 2^48), one page before the tail word's.
    let (okCount, last, tailWentBack) = try fillToTheLimit(pageBits: 16)
    #expect(!tailWentBack)
    #expect(last == .outOfAddressSpace)
    #expect(okCount >= 3 * ((1 << 16) / 24) && okCount <= 4 * ((1 << 16) / 24))
  }

  @Test func lastOpenablePageFitsTheTailWordAndTheAddress() {
    for pageBits in 12...30 {
      let buffer = LogBuffer(
        pageSizeBits: pageBits, pageSizeBytes: 1 << pageBits, bufferMask: 0,
        base: UnsafeMutableRawPointer(bitPattern: 64)!, markers: UnsafeMutableRawPointer(bitPattern: 64)!)
      let last = buffer.lastOpenablePage
      #expect(last <= UInt64(UInt32.max), "page \(last) does not fit the tail word's 32 bits")
      #expect(
        (last + 1) << UInt64(pageBits) <= Address.readCacheBit,
        "the full last page's end must be a main-log address (below the read-cache bit)")
      #expect(
        last + 2 > min(UInt64(UInt32.max), ((Address.readCacheBit - 1) >> UInt64(pageBits)) - 1),
        "no page is wasted")
    }
  }
}

/// Records above `LogBuffer.largestFetchAddBytes` are reserved by CAS: the tail offset
/// never passes the page end on their account (so it cannot carry into the page number).
@Suite struct LargeRecordAllocationTests {
  func makeLog(pageSize: Int) throws -> HybridLog {
    let settings = HybridLogSettings(
      pageSizeBytes: pageSize, memoryBytes: 8 * pageSize, mutableFraction: 1, hugePages: .off)
    return try HybridLog(settings: settings, epoch: LightEpoch(capacity: 2), device: nil)
  }

  @Test func aLargeRecordThatDoesNotFitOpensTheNextPageWithoutOvershoot() throws {
    let log = try makeLog(pageSize: 1 << 16)
    guard case .allocated(let first) = log.allocate(40 << 10) else { Issue.record("no allocation"); return }
    #expect(first == Address.firstValid)
    if case .allocated = log.buffer.tryAllocate(40 << 10) { Issue.record("a second 40 KiB record fit") }
    #expect(log.buffer.tailWord.load() & 0xFFFF_FFFF == 64 + (40 << 10), "a large record pushed the offset")
    guard case .allocated(let second) = log.allocate(40 << 10) else { Issue.record("no allocation"); return }
    #expect(second == Address(1 << 16))
  }

  @Test func concurrentLargeAndSmallRecordsNeverOverlap() throws {
    let log = try makeLog(pageSize: 1 << 16)
    let addresses = Shared<[(UInt64, UInt64)]>([])
    runThreads(4) { t in
      var mine: [(UInt64, UInt64)] = []
      for i in 0..<40 {
        let size = (t + i) % 2 == 0 ? 24 : 8192 + 8 * t
        guard case .allocated(let address) = log.allocate(size) else { break }
        mine.append((address.rawValue, UInt64(size)))
      }
      addresses.withLock { $0.append(contentsOf: mine) }
    }
    let sorted = addresses.withLock { $0 }.sorted { $0.0 < $1.0 }
    #expect(!sorted.isEmpty)
    for (a, b) in zip(sorted, sorted.dropFirst()) { #expect(a.0 + a.1 <= b.0, "overlapping reservations") }
    for (start, size) in sorted { #expect(start >> 16 == (start + size - 1) >> 16, "a record spans pages") }
  }
}
