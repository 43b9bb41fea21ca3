import Testing

@testable import FasterCore

@Suite struct AddressTests {
  @Test func pageAndOffsetRoundTrip() {
    let address = Address(page: 5, offset: 4000, pageSizeBits: 12)
    #expect(address.rawValue == 5 * 4096 + 4000)
    #expect(address.page(pageSizeBits: 12) == 5)
    #expect(address.offset(pageSizeBits: 12) == 4000)
  }

  @Test func layoutFollowsPageSize() {
    let address = Address(page: 3, offset: 17, pageSizeBits: 25)
    #expect(address.rawValue == 3 << 25 | 17)
    #expect(address.page(pageSizeBits: 20) == (3 << 25 | 17) >> 20)
  }

  @Test func specialValues() {
    #expect(Address.invalid.rawValue == 1)
    #expect(Address.firstValid.rawValue == 64)
    #expect(Address.max.rawValue == (1 << 48) - 1)
    #expect(Address.invalid < Address.firstValid)
  }

  @Test func ordering() {
    #expect(Address(100) < Address(101))
    #expect(!(Address(7) < Address(7)))
  }
}

@Suite struct RecordInfoTests {
  @Test func fieldsRoundTrip() {
    let info = RecordInfo(previousAddress: Address(0xABCDEF), version: 42, tombstone: true)
    #expect(info.previousAddress == Address(0xABCDEF))
    #expect(info.version == 42)
    #expect(info.isTombstone)
    #expect(!info.isInvalid)
    #expect(!info.isFinal)
    #expect(!info.isEmpty)
  }

  @Test func versionIsThirteenBitsAndDoesNotTouchTheAddress() {
    let info = RecordInfo(previousAddress: Address.max, version: (1 << 13) + 5)
    #expect(info.version == 5)
    #expect(info.previousAddress == Address.max)
    #expect(!info.isTombstone)
  }

  @Test func flagBitsArePinned() {
    #expect(RecordInfo(rawValue: 1 << 61).isInvalid)
    #expect(RecordInfo(rawValue: 1 << 62).isTombstone)
    #expect(RecordInfo(rawValue: 1 << 63).isFinal)
    #expect(RecordInfo(rawValue: 0).isEmpty)
  }

  @Test func aRecordHeaderIsNeverZero() {
    #expect(RecordInfo(previousAddress: .invalid, version: 0).rawValue != 0)
  }
}
