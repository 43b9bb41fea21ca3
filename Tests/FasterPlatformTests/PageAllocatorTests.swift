import Testing

@testable import FasterPlatform

@Suite struct PageAllocatorTests {
  @Test(arguments: [4096, 2 << 20])
  func allocationIsAlignedAndSized(alignment: Int) throws {
    let region = try PageAllocator.allocate(byteCount: 3 * alignment, alignment: alignment, hugePages: .off)
    defer { PageAllocator.deallocate(region) }
    #expect(Int(bitPattern: region.base) % alignment == 0)
    #expect(region.byteCount == 3 * alignment)
    #expect(region.alignment == alignment)
  }

  @Test func smallAlignmentsWork() throws {
    for alignment in [1, 2, 8, 64] {
      let region = try PageAllocator.allocate(byteCount: 100, alignment: alignment, hugePages: .off)
      #expect(Int(bitPattern: region.base) % alignment == 0)
      PageAllocator.deallocate(region)
    }
  }

  @Test func memoryIsZeroFilled() throws {
    // Dirty and free some memory first so that a reused block would show non-zero bytes.
    let dirty = try PageAllocator.allocate(byteCount: 1 << 20, alignment: 4096, hugePages: .off)
    dirty.bytes.initializeMemory(as: UInt8.self, repeating: 0xA5)
    PageAllocator.deallocate(dirty)

    let region = try PageAllocator.allocate(byteCount: 1 << 20, alignment: 4096, hugePages: .off)
    defer { PageAllocator.deallocate(region) }
    #expect(region.bytes.allSatisfy { $0 == 0 })
  }

  @Test func memoryIsWritableEndToEnd() throws {
    let region = try PageAllocator.allocate(byteCount: 8192, alignment: 4096, hugePages: .off)
    defer { PageAllocator.deallocate(region) }
    region.bytes.storeBytes(of: UInt64.max, toByteOffset: 0, as: UInt64.self)
    region.bytes.storeBytes(of: UInt64.max, toByteOffset: 8192 - 8, as: UInt64.self)
    #expect(region.bytes.load(fromByteOffset: 8192 - 8, as: UInt64.self) == .max)
  }

  @Test(arguments: [0, -1, -4096])
  func nonPositiveSizeIsAnError(byteCount: Int) {
    #expect(throws: PlatformError.self) {
      _ = try PageAllocator.allocate(byteCount: byteCount, alignment: 4096, hugePages: .off)
    }
  }

  @Test(arguments: [0, -4096, 3, 4095, 12288])
  func alignmentThatIsNotAPowerOfTwoIsAnError(alignment: Int) {
    do {
      _ = try PageAllocator.allocate(byteCount: 4096, alignment: alignment, hugePages: .off)
      Issue.record("alignment \(alignment) was accepted")
    } catch {
      #expect(error.message.contains("power of two"))
      #expect(error.message.contains("\(alignment)"))
    }
  }

  @Test func impossibleSizeIsAnErrorNotACrash() {
    // Sanitizer builds (posix_memalign backend) abort on absurd sizes unless
    // allocator_may_return_null=1; the error path is what jemalloc builds ship with.
    guard PageAllocator.backend == "jemalloc" else { return }
    do {
      _ = try PageAllocator.allocate(byteCount: Int.max / 2, alignment: 4096, hugePages: .madvise)
      Issue.record("an allocation of Int.max / 2 bytes succeeded")
    } catch {
      #expect(error.message.contains("could not allocate"))
      #expect(error.errorNumber != nil)
    }
  }

  @Test func offPolicyRequestsNoHugePages() throws {
    let region = try PageAllocator.allocate(byteCount: 4 << 20, alignment: 2 << 20, hugePages: .off)
    defer { PageAllocator.deallocate(region) }
    #expect(!region.hugePagesRequested)
    #expect(region.hugePageStatus.contains("off"))
  }

  @Test func smallRegionsRequestNoHugePages() throws {
    let region = try PageAllocator.allocate(byteCount: 1 << 20, alignment: 4096, hugePages: .madvise)
    defer { PageAllocator.deallocate(region) }
    #expect(!region.hugePagesRequested)
    #expect(region.hugePageStatus.contains("smaller than 2 MiB"))
  }

  @Test func madvisePolicyOnLargeRegionRecordsAnOutcome() throws {
    let region = try PageAllocator.allocate(byteCount: 8 << 20, alignment: 2 << 20, hugePages: .madvise)
    defer { PageAllocator.deallocate(region) }
    // The kernel may refuse (THP disabled); either way the outcome is recorded, never thrown.
    #expect(!region.hugePageStatus.isEmpty)
    if PageAllocator.transparentHugePageMode() != "never",
      PageAllocator.transparentHugePageMode() != "unavailable"
    {
      #expect(region.hugePagesRequested, "\(region.hugePageStatus)")
    }
  }

  @Test func hugePageReportIsWithinTheRegion() throws {
    let region = try PageAllocator.allocate(byteCount: 8 << 20, alignment: 2 << 20, hugePages: .madvise)
    defer { PageAllocator.deallocate(region) }
    // Touch every page so that the kernel backs the region (with huge pages if it can).
    for offset in stride(from: 0, to: region.byteCount, by: 4096) {
      region.bytes[offset] = 1
    }
    let hugeBytes = PageAllocator.hugePageBytes(in: region)
    print("huge page bytes: \(hugeBytes) of \(region.byteCount) (\(region.hugePageStatus))")
    #expect(hugeBytes >= 0)
    #expect(hugeBytes <= region.byteCount)
    #expect(hugeBytes % 4096 == 0)
  }

  @Test func hugePageReportForAnOffRegionIsWithinTheRegion() throws {
    let region = try PageAllocator.allocate(byteCount: 1 << 20, alignment: 4096, hugePages: .off)
    defer { PageAllocator.deallocate(region) }
    let hugeBytes = PageAllocator.hugePageBytes(in: region)
    #expect(hugeBytes >= 0 && hugeBytes <= region.byteCount)
  }

  @Test func hugePageAlignedRangeIsTheAlignedInterior() {
    let twoMiB = 2 << 20
    let base = UnsafeMutableRawPointer(bitPattern: 3 * twoMiB + 4096)!
    let range = PageAllocator.hugePageAlignedRange(base, 3 * twoMiB)
    #expect(range?.start == UnsafeMutableRawPointer(bitPattern: 4 * twoMiB))
    #expect(range?.byteCount == 2 * twoMiB)
    #expect(PageAllocator.hugePageAlignedRange(base, twoMiB) == nil)
    let alignedBase = UnsafeMutableRawPointer(bitPattern: 3 * twoMiB)!
    #expect(PageAllocator.hugePageAlignedRange(alignedBase, twoMiB)?.byteCount == twoMiB)
  }

  @Test func transparentHugePageModeParsesTheBracketedWord() {
    #expect(PageAllocator.parseTransparentHugePageMode("always [madvise] never\n") == "madvise")
    #expect(PageAllocator.parseTransparentHugePageMode("[always] madvise never") == "always")
    #expect(PageAllocator.parseTransparentHugePageMode("always madvise [never]") == "never")
    #expect(PageAllocator.parseTransparentHugePageMode("always madvise never") == "unavailable")
    #expect(PageAllocator.parseTransparentHugePageMode("") == "unavailable")
    #expect(PageAllocator.parseTransparentHugePageMode("[]") == "unavailable")
  }

  @Test func transparentHugePageModeOfThisMachineIsAKnownWord() {
    let mode = PageAllocator.transparentHugePageMode()
    #expect(["always", "madvise", "never", "unavailable"].contains(mode))
  }

  @Test func backendIsNamed() {
    #expect(["jemalloc", "posix_memalign"].contains(PageAllocator.backend))
  }

  @Test func jemallocCountsALargeLiveAllocation() throws {
    guard PageAllocator.backend == "jemalloc" else {
      #expect(PageAllocator.jemallocAllocatedBytes() == nil)
      return
    }
    let region = try PageAllocator.allocate(byteCount: 64 << 20, alignment: 4096, hugePages: .off)
    defer { PageAllocator.deallocate(region) }
    let allocated = try #require(PageAllocator.jemallocAllocatedBytes())
    #expect(allocated >= 64 << 20)
  }

  @Test func bytesAreFormattedForPeople() {
    #expect(PageAllocator.formatBytes(512) == "512 bytes")
    #expect(PageAllocator.formatBytes(2 << 20) == "2.0 MiB")
    #expect(PageAllocator.formatBytes(3 << 29) == "1.5 GiB")
  }
}
