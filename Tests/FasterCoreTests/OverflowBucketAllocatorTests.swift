import FasterPlatform
import FasterTestSupport
import Foundation
import Testing

@testable import FasterCore

/// A thread that needs a bucket in a page another thread is still opening waits for that
/// page, however long the opener takes (it may be descheduled, or in a slow mmap); it
/// used to give up after ~60 ms of spinning and report a spurious out-of-memory.
@Suite struct OverflowBucketAllocatorTests {
  @Test func waitsForASlowPageOpenerInsteadOfFailing() {
    let openerInside = DispatchSemaphore(value: 0)
    let releaseOpener = DispatchSemaphore(value: 0)
    let allocator = OverflowBucketAllocator(hugePages: .off) { byteCount in
      openerInside.signal()
      releaseOpener.wait()
      return try? PageAllocator.allocate(
        byteCount: byteCount, alignment: HashBucket.sizeBytes, hugePages: .off)
    }
    let first = Shared<UInt64?>(nil)
    let second = Shared<UInt64?>(nil)
    let secondDone = DispatchSemaphore(value: 0)
    Thread { _ = first.withLock { $0 = allocator.allocate() } }.start()
    openerInside.wait()
    Thread {
      _ = second.withLock { $0 = allocator.allocate() }
      secondDone.signal()
    }.start()
    // Long past the old spin limit; the waiter must still be waiting.
    let gaveUp = secondDone.wait(timeout: .now() + 2) == .success
    releaseOpener.signal()
    if !gaveUp { secondDone.wait() }
    #expect(!gaveUp, "the waiter gave up while the opener was still opening the page")
    #expect(second.withLock { $0 } == 2)
    while first.withLock({ $0 }) == nil { usleep(1000) }
    #expect(first.withLock { $0 } == 1)
  }

  @Test func aFailedPageOpeningFailsItsWaitersToo() {
    let allocator = OverflowBucketAllocator(hugePages: .off) { _ in nil }
    #expect(allocator.allocate() == nil)
    #expect(allocator.allocate() == nil, "the page was never opened: its buckets cannot be handed out")
  }
}
