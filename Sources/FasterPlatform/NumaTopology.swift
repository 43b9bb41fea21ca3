/// The machine's NUMA nodes and the CPUs of each that this process may run on.
///
/// `nodes[n]` lists node `n`'s CPUs in ascending order when discovered (a synthetic topology
/// keeps the order it was given). A node may have no CPUs (a memory-only node, or one whose CPUs
/// are outside this process's affinity); placement skips such nodes. Each CPU appears in at most
/// one node.
///
/// Thread safety: an immutable value; safe to share and send between threads.
public struct NumaTopology: Sendable {
  /// CPU numbers per node, indexed by node number.
  public let nodes: [[Int]]
  /// Where the topology came from: `"libnuma"`, `"sysfs"`, `"affinity"` (one node holding the
  /// CPUs of the process's affinity mask) or `"synthetic"`.
  public let source: String

  /// CPUs in node order: node 0's CPUs, then node 1's, ... (the `.compact` placement order).
  let compactOrder: [Int]
  /// CPUs round-robin over the nodes that have CPUs: each node's first CPU, then each node's
  /// second CPU, ... (the `.spread` placement order).
  let spreadOrder: [Int]
  /// The node of each CPU.
  private let nodeByCPU: [Int: Int]

  /// Creates a topology from CPU numbers per node (for tests and for machines described by hand).
  ///
  /// - Precondition: CPU numbers are non-negative and no CPU is listed twice.
  public init(nodes: [[Int]]) {
    self.init(nodes: nodes, source: "synthetic")
  }

  init(nodes: [[Int]], source: String) {
    var nodeByCPU: [Int: Int] = [:]
    for (node, cpus) in nodes.enumerated() {
      for cpu in cpus {
        precondition(cpu >= 0, "NumaTopology: CPU numbers must be non-negative, got \(cpu)")
        let previous = nodeByCPU.updateValue(node, forKey: cpu)
        precondition(
          previous == nil, "NumaTopology: CPU \(cpu) is listed in node \(previous!) and node \(node)")
      }
    }
    self.nodes = nodes
    self.source = source
    self.nodeByCPU = nodeByCPU
    self.compactOrder = nodes.flatMap { $0 }

    var spreadOrder: [Int] = []
    spreadOrder.reserveCapacity(nodeByCPU.count)
    let deepestNode = nodes.map(\.count).max() ?? 0
    for rank in 0..<deepestNode {
      for cpus in nodes where rank < cpus.count {
        spreadOrder.append(cpus[rank])
      }
    }
    self.spreadOrder = spreadOrder
    assert(compactOrder.count == spreadOrder.count)
  }

  /// The number of CPUs over all nodes.
  public var cpuCount: Int { compactOrder.count }

  /// The number of nodes, including nodes without CPUs.
  public var nodeCount: Int { nodes.count }

  /// The node that holds `cpu`, or nil if no node lists it.
  public func node(ofCPU cpu: Int) -> Int? {
    nodeByCPU[cpu]
  }
}
