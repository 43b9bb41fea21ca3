import FasterPlatform
import Testing

@testable import FasterCore

@Suite struct HybridLogTests {
  func makeLog(pages: Int = 4, pageSize: Int = 4096, mutableFraction: Double = 0.5) throws -> HybridLog {
    let settings = HybridLogSettings(
      pageSizeBytes: pageSize, memoryBytes: pages * pageSize, mutableFraction: mutableFraction,
      hugePages: .off)
    return try HybridLog(settings: settings, epoch: LightEpoch(capacity: 2), device: nil)
  }

  @Test func firstAllocationIsAtFirstValidAddress() throws {
    let log = try makeLog()
    guard case .allocated(let address) = log.allocate(24) else { Issue.record("no allocation"); return }
    #expect(address == Address.firstValid)
    #expect(log.tailAddress == Address(64 + 24))
  }

  @Test func allocationsAreContiguousWithinAPage() throws {
    let log = try makeLog()
    var previous: Address? = nil
    for _ in 0..<10 {
      guard case .allocated(let address) = log.allocate(32) else { Issue.record("no allocation"); return }
      if let previous { #expect(address.rawValue == previous.rawValue + 32) }
      previous = address
    }
  }

  @Test func aRecordThatDoesNotFitStartsTheNextPage() throws {
    let log = try makeLog(pageSize: 4096)
    // Fill page 0 to 4000 bytes, then ask for 200: it cannot span the boundary.
    guard case .allocated = log.allocate(4000 - 64) else { Issue.record("no allocation"); return }
    guard case .allocated(let address) = log.allocate(200) else { Issue.record("no allocation"); return }
    #expect(address == Address(page: 1, offset: 0, pageSizeBits: 12))
    // The rest of page 0 is zero: a scan reads it as "no record".
    #expect(log.pointer(Address(4000)).load(as: UInt64.self) == 0)
  }

  @Test func exactlyFillingAPageKeepsTheNextRecordOnTheNextPage() throws {
    let log = try makeLog(pageSize: 4096)
    guard case .allocated = log.allocate(4096 - 64) else { Issue.record("no allocation"); return }
    guard case .allocated(let address) = log.allocate(8) else { Issue.record("no allocation"); return }
    #expect(address == Address(4096))
  }

  @Test func fullBufferIsOutOfMemoryNotACrash() throws {
    let log = try makeLog(pages: 2, pageSize: 4096)
    var allocated = 0
    while case .allocated = log.allocate(1024) { allocated += 1 }
    // Page 0 holds 3 (after the 64-byte start), page 1 holds 4.
    #expect(allocated == 7)
    guard case .outOfMemory = log.allocate(8) else { Issue.record("expected outOfMemory"); return }
    guard case .outOfMemory = log.allocate(1024) else { Issue.record("expected outOfMemory"); return }
  }

  @Test func readOnlyMarkerTrailsTheTailByTheMutableFraction() throws {
    let log = try makeLog(pages: 8, pageSize: 4096, mutableFraction: 0.5)  // 4 mutable pages
    #expect(log.mutablePageCount == 4)
    for _ in 0..<(6 * 4096 / 512) { _ = log.allocate(512) }
    // Tail on page 6 (pages 0..5 full): read-only = start of page 3.
    #expect(log.tailAddress.page(pageSizeBits: 12) == 6)
    #expect(log.readOnlyAddress == Address(page: 3, offset: 0, pageSizeBits: 12))
    log.epoch.drainAll()
    #expect(log.safeReadOnlyAddress == log.readOnlyAddress)
  }

  @Test func markersStayOrdered() throws {
    let log = try makeLog(pages: 8, pageSize: 4096, mutableFraction: 0.3)
    for _ in 0..<200 {
      _ = log.allocate(96)
      #expect(log.beginAddress <= log.headAddress)
      #expect(log.headAddress <= log.safeReadOnlyAddress)
      #expect(log.safeReadOnlyAddress <= log.readOnlyAddress)
      #expect(log.readOnlyAddress <= log.tailAddress)
    }
  }

  @Test func explicitReadOnlyShiftIsClampedToTheTail() throws {
    let log = try makeLog()
    _ = log.allocate(64)
    log.shiftReadOnly(to: Address(1 << 20))
    #expect(log.readOnlyAddress == log.tailAddress)
  }
}
