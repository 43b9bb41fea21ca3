#if canImport(CJemalloc) && !FASTER_NO_JEMALLOC
  import CJemalloc
#endif
#if canImport(Glibc)
  import Glibc
#endif

/// Aligned, zero-filled page memory (from jemalloc), optionally backed by transparent huge pages.
///
/// Allocation goes through `mallocx(size, MALLOCX_LG_ALIGN(log2 alignment) | MALLOCX_ZERO)` and
/// release through `dallocx`. With ``HugePagePolicy/madvise`` and a region of at least 2 MiB, the
/// 2 MiB-aligned part of the region is advised with `madvise(MADV_HUGEPAGE)`; a refusal by the
/// kernel is recorded in ``AlignedRegion/hugePageStatus``, not thrown.
///
/// Builds that cannot link jemalloc (the thread and address sanitizers abort at start-up when
/// libjemalloc is linked, because it interposes `malloc` and C++ `operator new`) drop the
/// `CJemalloc` dependency or define `FASTER_NO_JEMALLOC`; allocation then falls back to
/// `posix_memalign` plus `memset`, and ``backend`` says so.
///
/// Thread safety: every function is safe to call from any thread (jemalloc is thread-safe);
/// a given region must be deallocated once, by one thread, after all its users are done.
public enum PageAllocator {
  /// The allocator behind ``allocate(byteCount:alignment:hugePages:)``: `"jemalloc"` or
  /// `"posix_memalign"` (builds without jemalloc).
  public static var backend: String {
    #if canImport(CJemalloc) && !FASTER_NO_JEMALLOC
      return "jemalloc"
    #else
      return "posix_memalign"
    #endif
  }

  /// The size of a transparent huge page on x86_64 and on aarch64 with 4 KiB base pages.
  public static let hugePageSizeBytes = 2 << 20

  /// jemalloc's `MALLOCX_ZERO` (the macro does not import into Swift).
  static let mallocxZeroFlag: Int32 = 0x40

  /// Allocates `byteCount` zero-filled bytes aligned to `alignment`.
  ///
  /// - Parameters:
  ///   - byteCount: the size in bytes; greater than zero.
  ///   - alignment: a power of two (for example 4096 for pages, 2 MiB for huge pages).
  ///   - hugePages: whether to request transparent huge pages for regions of at least 2 MiB.
  /// - Throws: ``PlatformError`` when the size or alignment is invalid or the allocator has no memory.
  public static func allocate(
    byteCount: Int, alignment: Int, hugePages: HugePagePolicy
  ) throws(PlatformError) -> AlignedRegion {
    guard byteCount > 0 else {
      throw PlatformError(
        "PageAllocator.allocate: byteCount must be greater than 0, got \(byteCount); "
          + "pass the size of the page or buffer to allocate")
    }
    guard alignment > 0, alignment & (alignment - 1) == 0 else {
      throw PlatformError(
        "PageAllocator.allocate: alignment must be a power of two (4096, 2097152, ...), "
          + "got \(alignment)")
    }
    guard let base = allocateZeroed(byteCount: byteCount, alignment: alignment) else {
      throw PlatformError(
        "PageAllocator.allocate: \(backend) could not allocate \(byteCount) bytes "
          + "(\(formatBytes(byteCount))) aligned to \(alignment); lower the memory setting "
          + "(for example FasterKVOptions.logMemoryBytes or indexSizeBytes) or free memory on the machine",
        errorNumber: ENOMEM)
    }
    assert(Int(bitPattern: base) & (alignment - 1) == 0, "the allocator ignored the alignment")

    let (requested, status) = adviseHugePages(
      base: base, byteCount: byteCount, policy: hugePages)
    return AlignedRegion(
      base: base, byteCount: byteCount, alignment: alignment, hugePagesRequested: requested,
      hugePageStatus: status)
  }

  /// Returns a region's memory to the allocator. Call once per region, after its last use.
  public static func deallocate(_ region: AlignedRegion) {
    if region.hugePagesRequested, let range = hugePageAlignedRange(region.base, region.byteCount) {
      // Safety: the range lies inside the region we still own. Clearing the flag keeps jemalloc
      // from handing huge-page-advised memory to unrelated small allocations later; a failure
      // only means the advice stays, so the result is deliberately ignored.
      _ = madvise(range.start, range.byteCount, MADV_NOHUGEPAGE)
    }
    // Safety: `region.base` came from `allocateZeroed` and is freed exactly once here, by the
    // matching release function of the same backend.
    #if canImport(CJemalloc) && !FASTER_NO_JEMALLOC
      dallocx(region.base, 0)
    #else
      free(region.base)
    #endif
  }

  /// Bytes of `region` currently backed by transparent huge pages, from the `AnonHugePages`
  /// lines of `/proc/self/smaps` for the mappings that overlap the region, each clipped to the
  /// overlap, then to `byteCount`. Returns 0 when smaps cannot be read.
  ///
  /// Reads and parses the whole smaps file (the kernel walks every mapping's page tables): call it
  /// once per report, never on a hot path.
  public static func hugePageBytes(in region: AlignedRegion) -> Int {
    guard let smaps = SystemFile.readBytes("/proc/self/smaps") else { return 0 }
    let start = UInt(bitPattern: Int(bitPattern: region.base))
    return SmapsScanner.anonHugePageBytes(
      smaps: smaps, rangeStart: start, rangeEnd: start + UInt(region.byteCount))
  }

  /// The kernel's transparent huge page mode: the bracketed word of
  /// `/sys/kernel/mm/transparent_hugepage/enabled` (`"always"`, `"madvise"` or `"never"`), or
  /// `"unavailable"` when the file is missing or unreadable.
  public static func transparentHugePageMode() -> String {
    guard let text = SystemFile.readString("/sys/kernel/mm/transparent_hugepage/enabled") else {
      return "unavailable"
    }
    return parseTransparentHugePageMode(text)
  }

  /// Bytes jemalloc reports as allocated by the application (`stats.allocated`, refreshed by an
  /// `epoch` write first), or nil when jemalloc was built without statistics or this build does
  /// not use jemalloc (see ``backend``).
  ///
  /// Cost: a few microseconds (the epoch write merges per-thread statistics); not for hot paths.
  public static func jemallocAllocatedBytes() -> Int? {
    #if canImport(CJemalloc) && !FASTER_NO_JEMALLOC
      return jemallocStatisticsAllocatedBytes()
    #else
      return nil
    #endif
  }

  // MARK: - Internals

  /// Zero-filled memory from the backend, or nil when it has none to give.
  private static func allocateZeroed(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer? {
    #if canImport(CJemalloc) && !FASTER_NO_JEMALLOC
      let alignmentLog2 = Int32(alignment.trailingZeroBitCount)
      return mallocx(byteCount, alignmentLog2 | mallocxZeroFlag)
    #else
      var base: UnsafeMutableRawPointer? = nil
      // posix_memalign wants a power of two that is also a multiple of the pointer size.
      let effectiveAlignment = max(alignment, MemoryLayout<UnsafeRawPointer>.size)
      guard posix_memalign(&base, effectiveAlignment, byteCount) == 0, let base else { return nil }
      // Safety: `base` points to `byteCount` bytes we just received.
      memset(base, 0, byteCount)
      return base
    #endif
  }

  #if canImport(CJemalloc) && !FASTER_NO_JEMALLOC
    private static func jemallocStatisticsAllocatedBytes() -> Int? {
      var epoch: UInt64 = 1
      var epochSize = MemoryLayout<UInt64>.size
      // Safety: `epoch` and `epochSize` are live locals of the sizes mallctl is told about.
      let epochStatus = withUnsafeMutablePointer(to: &epoch) { epochPointer in
        withUnsafeMutablePointer(to: &epochSize) { sizePointer in
          mallctl("epoch", epochPointer, sizePointer, epochPointer, MemoryLayout<UInt64>.size)
        }
      }
      guard epochStatus == 0 else { return nil }
      var allocated: Int = 0
      var allocatedSize = MemoryLayout<Int>.size
      // Safety: `stats.allocated` is a size_t, which is `Int`'s size on every supported platform.
      let status = withUnsafeMutablePointer(to: &allocated) { allocatedPointer in
        withUnsafeMutablePointer(to: &allocatedSize) { sizePointer in
          mallctl("stats.allocated", allocatedPointer, sizePointer, nil, 0)
        }
      }
      return status == 0 ? allocated : nil
    }
  #endif

  /// The bracketed word of a THP `enabled` file (`"always [madvise] never"` -> `"madvise"`), or
  /// `"unavailable"` when there is none.
  static func parseTransparentHugePageMode(_ text: String) -> String {
    guard let open = text.firstIndex(of: "["),
      let close = text[open...].firstIndex(of: "]")
    else { return "unavailable" }
    let word = text[text.index(after: open)..<close].trimmingWhitespace()
    return word.isEmpty ? "unavailable" : String(word)
  }

  /// The largest 2 MiB-aligned range inside `[base, base + byteCount)`, or nil if there is none.
  static func hugePageAlignedRange(
    _ base: UnsafeMutableRawPointer, _ byteCount: Int
  ) -> (start: UnsafeMutableRawPointer, byteCount: Int)? {
    let address = UInt(bitPattern: Int(bitPattern: base))
    let mask = UInt(hugePageSizeBytes - 1)
    let start = (address + mask) & ~mask
    let end = (address + UInt(byteCount)) & ~mask
    guard end > start else { return nil }
    return (base + Int(start - address), Int(end - start))
  }

  private static func adviseHugePages(
    base: UnsafeMutableRawPointer, byteCount: Int, policy: HugePagePolicy
  ) -> (requested: Bool, status: String) {
    switch policy {
    case .off:
      return (false, "huge pages off by policy")
    case .madvise:
      guard byteCount >= hugePageSizeBytes else {
        return (false, "region of \(byteCount) bytes is smaller than 2 MiB")
      }
      guard let range = hugePageAlignedRange(base, byteCount) else {
        return (false, "region holds no whole 2 MiB-aligned huge page")
      }
      // Safety: the range is inside the allocation we just received and is 2 MiB aligned, so it
      // meets madvise's page-alignment requirement.
      if madvise(range.start, range.byteCount, MADV_HUGEPAGE) != 0 {
        let reason = PlatformError.describe(errorNumber: errno)
        return (
          false,
          "madvise(MADV_HUGEPAGE) failed: \(reason); transparent huge pages are "
            + "'\(transparentHugePageMode())' on this kernel"
        )
      }
      return (true, "madvise(MADV_HUGEPAGE) on \(range.byteCount) bytes")
    }
  }

  static func formatBytes(_ byteCount: Int) -> String {
    let units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
    var value = Double(byteCount)
    var unitIndex = 0
    while value >= 1024, unitIndex < units.count - 1 {
      value /= 1024
      unitIndex += 1
    }
    if unitIndex == 0 { return "\(byteCount) bytes" }
    let rounded = (value * 10).rounded() / 10
    return "\(rounded) \(units[unitIndex])"
  }
}
