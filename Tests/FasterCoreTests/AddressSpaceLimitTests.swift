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
      #expect((last + 1) << UInt64(pageBits) <= Address.mask, "the full last page's end must be an address")
      #expect(last + 2 > min(UInt64(UInt32.max), (Address.mask >> UInt64(pageBits)) - 1), "no page is wasted")
    }
  }
}
