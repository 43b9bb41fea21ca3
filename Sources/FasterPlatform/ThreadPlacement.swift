/// Where one worker thread should run: a CPU and the NUMA node to take memory from.
///
/// Both are nil for ``PinningPolicy/none``.
///
/// Thread safety: a value type, safe to share and send between threads.
public struct ThreadPlacement: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
  /// The CPU to pin the thread to, or nil to leave it to the scheduler.
  public let cpu: Int?
  /// The NUMA node to prefer for the thread's memory, or nil to leave the memory policy alone.
  public let node: Int?

  /// A placement on `cpu`, taking memory from `node`.
  public init(cpu: Int?, node: Int?) {
    self.cpu = cpu
    self.node = node
  }

  /// No pinning and no memory preference.
  public static let unpinned = ThreadPlacement(cpu: nil, node: nil)

  public var description: String {
    switch (cpu, node) {
    case (nil, nil): return "unpinned"
    case (let cpu?, nil): return "cpu \(cpu)"
    case (nil, let node?): return "node \(node)"
    case (let cpu?, let node?): return "cpu \(cpu) (node \(node))"
    }
  }
}
