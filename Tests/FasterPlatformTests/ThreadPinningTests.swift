import Dispatch
import Foundation
import Synchronization
import Testing

@testable import FasterPlatform

/// Runs `body` on a new thread and returns its result, so that pinning never leaks into the
/// test runner's threads.
func runOnNewThread<Result: Sendable>(_ body: @escaping @Sendable () -> Result) -> Result {
  let box = ResultBox<Result>()
  let done = DispatchSemaphore(value: 0)
  let thread = Thread {
    let result = body()
    box.value.withLock { $0 = result }
    done.signal()
  }
  thread.start()
  done.wait()
  return box.value.withLock { $0! }
}

/// A result handed from a helper thread to the waiting test.
final class ResultBox<Result: Sendable>: Sendable {
  let value = Mutex<Result?>(nil)
}

@Suite struct ThreadPinningTests {
  struct Observation: Sendable {
    var error: PlatformError?
    var cpuAfter = -1
    var affinityCountBefore = -1
    var affinityCountAfter = -1
  }

  func pinOnNewThread(_ placement: ThreadPlacement) -> Observation {
    runOnNewThread {
      var observation = Observation()
      observation.affinityCountBefore = ThreadPinning.currentAffinityCPUCount()
      do throws(PlatformError) {
        try ThreadPinning.pinCurrentThread(to: placement)
      } catch {
        observation.error = error
      }
      observation.cpuAfter = ThreadPinning.currentCPU()
      observation.affinityCountAfter = ThreadPinning.currentAffinityCPUCount()
      return observation
    }
  }

  @Test func pinningToTheFirstCPUMovesTheThreadThere() throws {
    let firstCPU = try #require(NumaTopology.current().compactOrder.first)
    let observation = pinOnNewThread(ThreadPlacement(cpu: firstCPU, node: nil))
    #expect(observation.error == nil)
    #expect(observation.cpuAfter == firstCPU)
    #expect(observation.affinityCountAfter == 1)
  }

  @Test func pinningToCPUZeroWithItsNodeWorks() throws {
    let topology = NumaTopology.current()
    try #require(topology.node(ofCPU: 0) != nil, "CPU 0 is not available to this process")
    let placement = ThreadPlacement(cpu: 0, node: topology.node(ofCPU: 0))
    let observation = pinOnNewThread(placement)
    #expect(observation.error == nil)
    #expect(observation.cpuAfter == 0)
    #expect(observation.affinityCountAfter == 1)
  }

  @Test(arguments: [PinningPolicy.compact, .spread])
  func everyPlacementOfThisMachineCanBeApplied(policy: PinningPolicy) {
    let topology = NumaTopology.current()
    for worker in 0..<topology.cpuCount {
      let placement = topology.placement(forWorker: worker, policy: policy)
      let observation = pinOnNewThread(placement)
      #expect(observation.error == nil, "\(placement)")
      #expect(observation.cpuAfter == placement.cpu, "\(placement)")
    }
  }

  @Test func unpinnedPlacementChangesNothing() {
    let observation = pinOnNewThread(.unpinned)
    #expect(observation.error == nil)
    #expect(observation.affinityCountAfter == observation.affinityCountBefore)
  }

  @Test(arguments: [-1, 1_000_000])
  func impossibleCPUIsAnErrorNamingTheCPU(cpu: Int) throws {
    let observation = pinOnNewThread(ThreadPlacement(cpu: cpu, node: nil))
    let error = try #require(observation.error)
    #expect(error.message.contains("CPU \(cpu)"))
    #expect(error.message.contains("EINVAL"))
    #expect(error.errorNumber == EINVAL)
    #expect(observation.affinityCountAfter == observation.affinityCountBefore)
  }

  @Test func cpuOutsideTheMachineIsAnError() throws {
    // CPU_SETSIZE is 1024; a CPU number below it that the machine lacks is refused by the kernel.
    let missingCPU = 1023
    try #require(NumaTopology.current().node(ofCPU: missingCPU) == nil)
    let observation = pinOnNewThread(ThreadPlacement(cpu: missingCPU, node: nil))
    let error = try #require(observation.error)
    #expect(error.message.contains("CPU 1023"))
  }

  @Test func missingNodeIsAnErrorWhenLibnumaWorks() throws {
    try #require(NumaTopology.libnumaAvailable, "libnuma is not available here")
    let observation = pinOnNewThread(ThreadPlacement(cpu: nil, node: 4096))
    let error = try #require(observation.error)
    #expect(error.message.contains("node 4096"))
  }

  @Test func currentCPUIsOneOfTheAllowedCPUs() {
    #expect(NumaTopology.allowedCPUsOfProcess().contains(ThreadPinning.currentCPU()))
  }
}
