/// How worker threads are spread over CPUs and NUMA nodes.
///
/// Thread safety: a value type, safe to share and send between threads.
public enum PinningPolicy: String, Sendable, CaseIterable, Codable {
  /// No pinning: the scheduler places threads.
  case none
  /// Fill node 0's CPUs first, then node 1's, ...: workers share caches and memory locality.
  case compact
  /// Round-robin over the nodes: each node's first CPU, then each node's second CPU, ...:
  /// workers spread memory bandwidth over all nodes.
  case spread
}
