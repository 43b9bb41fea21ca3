import CNuma

#if canImport(Glibc)
  import Glibc
#endif

extension NumaTopology {
  /// The topology of this machine, restricted to the CPUs this process may run on.
  ///
  /// Sources, in order: libnuma (when `numa_available() >= 0`: `numa_node_of_cpu` for each
  /// allowed CPU), then `/sys/devices/system/node/node<N>/cpulist`, then one node holding every
  /// allowed CPU. The allowed CPUs are the process's `Cpus_allowed_list` (its main thread's
  /// affinity, so a caller that already pinned itself still sees the whole set).
  ///
  /// Cost: reads a few small files; call it once at start-up, not per operation.
  public static func current() -> NumaTopology {
    let allowedCPUs = allowedCPUsOfProcess()
    if let topology = fromLibnuma(allowedCPUs: allowedCPUs) { return topology }
    if let topology = fromSysfs(allowedCPUs: allowedCPUs) { return topology }
    return NumaTopology(nodes: [allowedCPUs], source: "affinity")
  }

  /// True when libnuma works on this machine (`numa_available() >= 0`); computed once.
  static let libnumaAvailable: Bool = numa_available() >= 0

  /// The CPUs this process may run on: `Cpus_allowed_list` of `/proc/self/status`, else every
  /// online CPU.
  static func allowedCPUsOfProcess() -> [Int] {
    if let status = SystemFile.readString("/proc/self/status"),
      let list = SystemFile.value(forKey: "Cpus_allowed_list", in: status),
      let cpus = SystemFile.parseList(list), !cpus.isEmpty
    {
      return cpus
    }
    let online = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    return Array(0..<online)
  }

  static func fromLibnuma(allowedCPUs: [Int]) -> NumaTopology? {
    guard libnumaAvailable else { return nil }
    let configuredNodes = Int(numa_num_configured_nodes())
    let highestNode = Int(numa_max_node())
    var nodes = [[Int]](repeating: [], count: max(1, configuredNodes, highestNode + 1))
    for cpu in allowedCPUs {
      let node = Int(numa_node_of_cpu(Int32(cpu)))
      // A CPU libnuma cannot place (-1) still belongs to the process: keep it on node 0.
      let slot = node >= 0 ? node : 0
      if slot >= nodes.count { nodes.append(contentsOf: repeatElement([], count: slot + 1 - nodes.count)) }
      nodes[slot].append(cpu)
    }
    return NumaTopology(nodes: nodes.map { $0.sorted() }, source: "libnuma")
  }

  static func fromSysfs(allowedCPUs: [Int]) -> NumaTopology? {
    let root = "/sys/devices/system/node"
    guard
      let listText = SystemFile.readString("\(root)/online")
        ?? SystemFile.readString("\(root)/possible"),
      let nodeNumbers = SystemFile.parseList(listText), let highestNode = nodeNumbers.last
    else { return nil }
    let allowed = Set(allowedCPUs)
    var placed: Set<Int> = []
    var nodes = [[Int]](repeating: [], count: highestNode + 1)
    for node in nodeNumbers {
      guard let cpuText = SystemFile.readString("\(root)/node\(node)/cpulist"),
        let cpus = SystemFile.parseList(cpuText)
      else { continue }
      let usable = cpus.filter { allowed.contains($0) && !placed.contains($0) }
      placed.formUnion(usable)
      nodes[node] = usable
    }
    // CPUs no node claims (an odd sysfs) still belong to the process: keep them on node 0.
    let unplaced = allowedCPUs.filter { !placed.contains($0) }
    if !unplaced.isEmpty { nodes[0] = (nodes[0] + unplaced).sorted() }
    return NumaTopology(nodes: nodes, source: "sysfs")
  }
}
