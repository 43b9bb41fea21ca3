import Foundation
import Testing

@testable import FasterPlatform

@Suite struct MonotonicClockTests {
  @Test func neverGoesBackwards() {
    var previous = monotonicNanoseconds()
    for _ in 0..<10_000 {
      let next = monotonicNanoseconds()
      #expect(next >= previous)
      if next < previous { break }
      previous = next
    }
  }

  @Test func advancesAcrossASleep() {
    let start = monotonicNanoseconds()
    Thread.sleep(forTimeInterval: 0.005)
    let elapsed = monotonicNanoseconds() - start
    #expect(elapsed >= 4_000_000)
  }
}
