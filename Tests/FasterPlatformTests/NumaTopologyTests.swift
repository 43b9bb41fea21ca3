import FasterTestSupport
import Foundation
import Testing

@testable import FasterPlatform

@Suite struct NumaTopologyTests {
  /// CPUs and nodes chosen by workers 0..<count.
  func placements(_ topology: NumaTopology, _ policy: PinningPolicy, workers count: Int) -> [ThreadPlacement]
  {
    (0..<count).map { topology.placement(forWorker: $0, policy: policy) }
  }

  // MARK: Basic properties

  @Test func countsCPUsAndNodes() {
    let topology = NumaTopology(nodes: [[0, 1, 2], [], [3, 4]])
    #expect(topology.cpuCount == 5)
    #expect(topology.nodeCount == 3)
    #expect(topology.source == "synthetic")
  }

  @Test func findsTheNodeOfEachCPU() {
    let topology = NumaTopology(nodes: [[0, 2], [1, 3], [], [9]])
    #expect(topology.node(ofCPU: 0) == 0)
    #expect(topology.node(ofCPU: 3) == 1)
    #expect(topology.node(ofCPU: 9) == 3)
    #expect(topology.node(ofCPU: 4) == nil)
    #expect(topology.node(ofCPU: -1) == nil)
  }

  @Test func duplicateCPUIsAProgrammerError() async {
    await #expect(processExitsWith: .failure) {
      _ = NumaTopology(nodes: [[0, 1], [1]])
    }
  }

  // MARK: Policy none

  @Test(arguments: [0, 1, 7, 100])
  func nonePolicyPlacesNothing(worker: Int) {
    let topology = NumaTopology(nodes: [[0, 1], [2, 3]])
    #expect(topology.placement(forWorker: worker, policy: .none) == .unpinned)
  }

  @Test func topologyWithoutCPUsPlacesNothing() {
    for policy in PinningPolicy.allCases {
      #expect(NumaTopology(nodes: []).placement(forWorker: 0, policy: policy) == .unpinned)
      #expect(NumaTopology(nodes: [[], []]).placement(forWorker: 3, policy: policy) == .unpinned)
    }
  }

  // MARK: Two nodes of four CPUs

  @Test func compactFillsNodeZeroFirstOnTwoByFour() {
    let topology = NumaTopology(nodes: [[0, 1, 2, 3], [4, 5, 6, 7]])
    let chosen = placements(topology, .compact, workers: 8)
    #expect(chosen.map(\.cpu) == [0, 1, 2, 3, 4, 5, 6, 7])
    #expect(chosen.map(\.node) == [0, 0, 0, 0, 1, 1, 1, 1])
  }

  @Test func spreadAlternatesNodesOnTwoByFour() {
    let topology = NumaTopology(nodes: [[0, 1, 2, 3], [4, 5, 6, 7]])
    let chosen = placements(topology, .spread, workers: 8)
    #expect(chosen.map(\.cpu) == [0, 4, 1, 5, 2, 6, 3, 7])
    #expect(chosen.map(\.node) == [0, 1, 0, 1, 0, 1, 0, 1])
  }

  @Test func interleavedCPUNumberingFollowsTheNodeLists() {
    // Many two-socket machines number CPUs alternately across sockets.
    let topology = NumaTopology(nodes: [[0, 2, 4, 6], [1, 3, 5, 7]])
    #expect(placements(topology, .compact, workers: 8).map(\.cpu) == [0, 2, 4, 6, 1, 3, 5, 7])
    #expect(placements(topology, .spread, workers: 8).map(\.cpu) == [0, 1, 2, 3, 4, 5, 6, 7])
    #expect(placements(topology, .spread, workers: 2).map(\.node) == [0, 1])
  }

  // MARK: Uneven nodes

  @Test func compactOnFourUnevenNodes() {
    let topology = NumaTopology(nodes: [[0, 1, 2], [3], [4, 5], [6, 7, 8, 9]])
    let chosen = placements(topology, .compact, workers: 10)
    #expect(chosen.map(\.cpu) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    #expect(chosen.map(\.node) == [0, 0, 0, 1, 2, 2, 3, 3, 3, 3])
  }

  @Test func spreadOnFourUnevenNodesSkipsExhaustedNodes() {
    let topology = NumaTopology(nodes: [[0, 1, 2], [3], [4, 5], [6, 7, 8, 9]])
    let chosen = placements(topology, .spread, workers: 10)
    #expect(chosen.map(\.cpu) == [0, 3, 4, 6, 1, 5, 7, 2, 8, 9])
    #expect(chosen.map(\.node) == [0, 1, 2, 3, 0, 2, 3, 0, 3, 3])
  }

  @Test func nodesWithoutCPUsAreSkipped() {
    let topology = NumaTopology(nodes: [[], [0, 1], [], [2, 3]])
    let compact = placements(topology, .compact, workers: 4)
    #expect(compact.map(\.cpu) == [0, 1, 2, 3])
    #expect(compact.map(\.node) == [1, 1, 3, 3])
    let spread = placements(topology, .spread, workers: 4)
    #expect(spread.map(\.cpu) == [0, 2, 1, 3])
    #expect(spread.map(\.node) == [1, 3, 1, 3])
  }

  @Test func singleNodeSpreadEqualsCompact() {
    let topology = NumaTopology(nodes: [[0, 1, 2, 3]])
    #expect(placements(topology, .spread, workers: 9) == placements(topology, .compact, workers: 9))
  }

  // MARK: More workers than CPUs

  @Test(arguments: [PinningPolicy.compact, .spread])
  func moreWorkersThanCPUsWrapAround(policy: PinningPolicy) {
    let topology = NumaTopology(nodes: [[0, 1], [2], [], [3, 4, 5]])
    let chosen = placements(topology, policy, workers: 3 * topology.cpuCount + 2)
    for worker in topology.cpuCount..<chosen.count {
      #expect(chosen[worker] == chosen[worker - topology.cpuCount])
    }
    var uses: [Int: Int] = [:]
    for placement in chosen.prefix(3 * topology.cpuCount) { uses[placement.cpu!, default: 0] += 1 }
    #expect(uses == [0: 3, 1: 3, 2: 3, 3: 3, 4: 3, 5: 3])
  }

  @Test func largeWorkerIndexWraps() {
    let topology = NumaTopology(nodes: [[0, 1], [2, 3]])
    #expect(topology.placement(forWorker: 1_000_001, policy: .spread) == ThreadPlacement(cpu: 2, node: 1))
  }

  // MARK: Randomized topologies

  @Test func randomTopologiesGiveConsistentPlacements() {
    let seed =
      ProcessInfo.processInfo.environment["FASTER_TEST_SEED"].flatMap { UInt64($0) }
      ?? UInt64.random(in: 0...UInt64.max)
    print("NumaTopologyTests.randomTopologiesGiveConsistentPlacements seed \(seed) (FASTER_TEST_SEED)")
    var random = TestRandom(seed: seed)
    for round in 0..<200 {
      let nodeCount = Int(random.next() % 9)
      var nextCPU = 0
      var nodes: [[Int]] = []
      for _ in 0..<nodeCount {
        let cpus = Int(random.next() % 7)
        nodes.append(Array(nextCPU..<nextCPU + cpus))
        nextCPU += cpus
      }
      nodes = nodes.map { $0.shuffled(using: &random) }
      let topology = NumaTopology(nodes: nodes)
      let context = Comment(rawValue: "seed \(seed) round \(round) nodes \(nodes)")
      let allCPUs = Set(nodes.joined())
      #expect(topology.cpuCount == allCPUs.count, context)
      guard topology.cpuCount > 0 else { continue }
      for policy in [PinningPolicy.compact, .spread] {
        let chosen = placements(topology, policy, workers: topology.cpuCount)
        // Every CPU once, each with its own node.
        #expect(Set(chosen.compactMap(\.cpu)) == allCPUs, context)
        for placement in chosen {
          #expect(placement.node == topology.node(ofCPU: placement.cpu!), context)
          #expect(nodes[placement.node!].contains(placement.cpu!), context)
        }
        let nodeSequence = chosen.map { $0.node! }
        if policy == .compact {
          #expect(nodeSequence == nodeSequence.sorted(), context)
        } else {
          // The first workers, one per node with CPUs, land on distinct nodes in node order.
          let populated = nodes.indices.filter { !nodes[$0].isEmpty }
          #expect(Array(nodeSequence.prefix(populated.count)) == populated, context)
        }
      }
    }
  }

  // MARK: This machine

  @Test func currentTopologyCoversTheAllowedCPUs() {
    let topology = NumaTopology.current()
    print("topology (\(topology.source)): \(topology.nodes)")
    #expect(topology.nodeCount >= 1)
    #expect(topology.cpuCount >= 1)
    #expect(Set(topology.nodes.joined()) == Set(NumaTopology.allowedCPUsOfProcess()))
    #expect(["libnuma", "sysfs", "affinity"].contains(topology.source))
    for (node, cpus) in topology.nodes.enumerated() {
      #expect(cpus == cpus.sorted())
      for cpu in cpus { #expect(topology.node(ofCPU: cpu) == node) }
    }
  }

  @Test func sysfsAndLibnumaAgreeOnThisMachine() throws {
    let allowed = NumaTopology.allowedCPUsOfProcess()
    let sysfs = try #require(NumaTopology.fromSysfs(allowedCPUs: allowed))
    #expect(sysfs.source == "sysfs")
    #expect(Set(sysfs.nodes.joined()) == Set(allowed))
    if let libnuma = NumaTopology.fromLibnuma(allowedCPUs: allowed) {
      #expect(
        libnuma.nodes.enumerated().filter { !$0.element.isEmpty }.map { $0.offset }
          == sysfs.nodes.enumerated().filter { !$0.element.isEmpty }.map { $0.offset })
      #expect(libnuma.nodes.joined().sorted() == sysfs.nodes.joined().sorted())
      for cpu in allowed { #expect(libnuma.node(ofCPU: cpu) == sysfs.node(ofCPU: cpu)) }
    }
  }

  @Test func discoveryKeepsOnlyTheAllowedCPUs() throws {
    let allowed = NumaTopology.allowedCPUsOfProcess()
    let subset = Array(allowed.prefix(1))
    let sysfs = try #require(NumaTopology.fromSysfs(allowedCPUs: subset))
    #expect(Array(sysfs.nodes.joined()) == subset)
    if let libnuma = NumaTopology.fromLibnuma(allowedCPUs: subset) {
      #expect(Array(libnuma.nodes.joined()) == subset)
    }
  }

  @Test func currentTopologyPlacesEveryWorker() {
    let topology = NumaTopology.current()
    for worker in 0..<(2 * topology.cpuCount) {
      let placement = topology.placement(forWorker: worker, policy: .compact)
      #expect(placement.cpu != nil)
      #expect(placement.node != nil)
    }
  }
}
