import CFasterShims
import CNuma

#if canImport(Glibc)
  import Glibc
#endif

/// Pins the calling thread to a CPU and points its memory policy at a NUMA node.
///
/// Thread safety: every function acts on the calling thread only and is safe from any thread.
public enum ThreadPinning {
  /// Applies `placement` to the calling thread.
  ///
  /// - With a CPU: sets the thread's affinity to that one CPU (`pthread_setaffinity_np`).
  /// - With a node, when libnuma works: `numa_set_preferred(node)`, so pages the thread touches
  ///   first come from that node while it has free memory.
  /// - ``ThreadPlacement/unpinned`` does nothing.
  ///
  /// - Throws: ``PlatformError`` naming the CPU and the errno when the kernel refuses the
  ///   affinity (a CPU outside the process's cpuset, offline, or out of range), or when the node
  ///   does not exist.
  public static func pinCurrentThread(to placement: ThreadPlacement) throws(PlatformError) {
    if let cpu = placement.cpu {
      let result = cfaster_pin_current_thread_to_cpu(Int32(clamping: cpu))
      guard result == 0 else {
        throw PlatformError(
          "ThreadPinning: could not pin the thread to CPU \(cpu): "
            + "pthread_setaffinity_np failed with \(PlatformError.describe(errorNumber: result)); "
            + "the CPUs this process may use are \(NumaTopology.allowedCPUsOfProcess()) "
            + "(check taskset/cgroup cpusets, or use pinning policy none)",
          errorNumber: result)
      }
    }
    if let node = placement.node, NumaTopology.libnumaAvailable {
      let highestNode = Int(numa_max_node())
      guard node >= 0, node <= highestNode else {
        throw PlatformError(
          "ThreadPinning: NUMA node \(node) does not exist (this machine has nodes 0...\(highestNode)); "
            + "take placements from NumaTopology.current()",
          errorNumber: EINVAL)
      }
      numa_set_preferred(Int32(node))
    }
  }

  /// The CPU the calling thread is running on now (`sched_getcpu`), or -1 when unknown. The
  /// answer may be stale as soon as it returns unless the thread is pinned.
  public static func currentCPU() -> Int {
    Int(cfaster_current_cpu())
  }

  /// The number of CPUs in the calling thread's affinity mask, or -1 when it cannot be read.
  public static func currentAffinityCPUCount() -> Int {
    Int(cfaster_current_affinity_count())
  }
}
