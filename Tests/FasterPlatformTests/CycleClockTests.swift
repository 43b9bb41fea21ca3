import Foundation
import Testing

@testable import FasterPlatform

@Suite struct CycleClockTests {
  @Test func sharedClockIsCalibrated() {
    let clock = CycleClock.shared
    print(
      "cycle clock: \(clock.source), \(clock.ticksPerNanosecond) ticks/ns, "
        + "samples \(clock.calibrationSamples)")
    #expect(clock.ticksPerNanosecond > 0)
    #expect(clock.ticksPerNanosecond.isFinite)
    #expect(["rdtsc", "cntvct", "clock_gettime", "cycle-counter"].contains(clock.source))
    #expect((clock.ticksPerNanosecond * clock.nanosecondsPerTick - 1).magnitude < 1e-9)
  }

  @Test func sourceMatchesTheCounterCheck() {
    let clock = CycleClock.shared
    if CycleClock.usesCycleCounter {
      #expect(clock.source != "clock_gettime")
      #expect(!clock.calibrationSamples.isEmpty)
    } else {
      #expect(clock.source == "clock_gettime")
      #expect(clock.ticksPerNanosecond == 1)
    }
  }

  @Test func aMeasuredSleepConvertsToRoughlyItsLength() {
    let clock = CycleClock.shared
    let start = CycleClock.now()
    Thread.sleep(forTimeInterval: 0.020)
    let end = CycleClock.now()
    let milliseconds = clock.nanoseconds(end - start) / 1e6
    print("20 ms sleep measured as \(milliseconds) ms")
    #expect(milliseconds >= 15 && milliseconds <= 200)
  }

  @Test func ticksAreMonotone() {
    var previous = CycleClock.now()
    for _ in 0..<100_000 {
      let next = CycleClock.now()
      #expect(next >= previous)
      if next < previous { break }
      previous = next
    }
  }

  @Test func ticksAgreeWithTheMonotonicClock() {
    let clock = CycleClock.shared
    let startNanoseconds = monotonicNanoseconds()
    let startTicks = CycleClock.now()
    Thread.sleep(forTimeInterval: 0.010)
    let elapsedTicks = CycleClock.now() - startTicks
    let elapsedNanoseconds = Double(monotonicNanoseconds() - startNanoseconds)
    // Loose: the two reads of each clock are not simultaneous on a busy machine.
    #expect((clock.nanoseconds(elapsedTicks) / elapsedNanoseconds - 1).magnitude < 0.25)
  }

  @Test func conversionRoundTrips() {
    let clock = CycleClock(ticksPerNanosecond: 2.5, source: "test")
    #expect(clock.nanoseconds(2_500) == 1_000)
    #expect(clock.ticks(nanoseconds: 1_000) == 2_500)
    #expect(clock.nanoseconds(0) == 0)
    #expect(clock.source == "test")
  }
}
