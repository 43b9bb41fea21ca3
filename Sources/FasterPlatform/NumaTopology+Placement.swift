extension NumaTopology {
  /// The CPU and node for worker `index` under `policy`; a pure function of the topology.
  ///
  /// - `.none`: no CPU, no node.
  /// - `.compact`: the `index`-th CPU in node order (node 0's CPUs, then node 1's, ...).
  /// - `.spread`: the `index`-th CPU of a round-robin over the nodes that have CPUs (each node's
  ///   first CPU, then each node's second CPU, ...).
  ///
  /// With more workers than CPUs the order wraps around (worker `cpuCount` shares the CPU of
  /// worker 0). The node is always the chosen CPU's node. A topology without CPUs gives
  /// ``ThreadPlacement/unpinned``.
  ///
  /// - Precondition: `index >= 0`.
  public func placement(forWorker index: Int, policy: PinningPolicy) -> ThreadPlacement {
    precondition(index >= 0, "placement(forWorker:): worker index must be >= 0, got \(index)")
    let order: [Int]
    switch policy {
    case .none: return .unpinned
    case .compact: order = compactOrder
    case .spread: order = spreadOrder
    }
    guard !order.isEmpty else { return .unpinned }
    let cpu = order[index % order.count]
    return ThreadPlacement(cpu: cpu, node: node(ofCPU: cpu))
  }
}
