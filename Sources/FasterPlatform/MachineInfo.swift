#if canImport(Glibc)
  import Glibc
#endif

/// A description of the machine a benchmark ran on, for reports and baseline folders.
///
/// Thread safety: an immutable value; safe to share and send between threads.
public struct MachineInfo: Codable, Sendable, Equatable {
  /// The CPU model (`model name` of `/proc/cpuinfo`; on machines without it, the `Hardware`,
  /// `Processor` or `uarch` line, else `"unknown"`).
  public let cpuModel: String
  /// The machine architecture from `uname` (`"x86_64"`, `"aarch64"`).
  public let architecture: String
  /// Online logical CPUs (`sysconf(_SC_NPROCESSORS_ONLN)`).
  public let logicalCPUs: Int
  /// CPUs this process may run on (its affinity mask / cpuset).
  public let usableCPUs: Int
  /// NUMA nodes (from ``NumaTopology/current()``).
  public let numaNodes: Int
  /// Total memory in bytes (`MemTotal` of `/proc/meminfo`), 0 if unknown.
  public let memoryBytes: Int
  /// Kernel name and release from `uname` (for example `"Linux 6.18.44"`).
  public let kernel: String
  /// The host name.
  public let hostname: String
  /// The transparent huge page mode (see ``PageAllocator/transparentHugePageMode()``).
  public let transparentHugePages: String

  /// Creates a description by hand (for tests and for reports read back from disk).
  public init(
    cpuModel: String, architecture: String, logicalCPUs: Int, usableCPUs: Int, numaNodes: Int,
    memoryBytes: Int, kernel: String, hostname: String, transparentHugePages: String
  ) {
    self.cpuModel = cpuModel
    self.architecture = architecture
    self.logicalCPUs = logicalCPUs
    self.usableCPUs = usableCPUs
    self.numaNodes = numaNodes
    self.memoryBytes = memoryBytes
    self.kernel = kernel
    self.hostname = hostname
    self.transparentHugePages = transparentHugePages
  }

  /// The machine this process runs on. Reads a few `/proc` and `/sys` files; call it once.
  public static func current() -> MachineInfo {
    let names = unameFields()
    let topology = NumaTopology.current()
    return MachineInfo(
      cpuModel: cpuModelName(),
      architecture: names.machine,
      logicalCPUs: max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))),
      usableCPUs: topology.cpuCount,
      numaNodes: topology.nodeCount,
      memoryBytes: totalMemoryBytes(),
      kernel: names.kernel,
      hostname: hostName(),
      transparentHugePages: PageAllocator.transparentHugePageMode())
  }

  /// A stable name for this kind of machine, safe as a folder name: architecture, logical CPUs,
  /// NUMA nodes and CPU model, lowercased, with everything outside `[a-z0-9]` turned into single
  /// dashes (for example `"x86-64-2cpu-1node-amd-epyc"`). The host name is left out so machines of
  /// one kind share a baseline.
  public var profileName: String {
    var model = cpuModel
    for mark in ["(R)", "(r)", "(TM)", "(tm)", "(C)"] {
      model = model.replacing(mark, with: " ")
    }
    return Self.sanitize("\(architecture)-\(logicalCPUs)cpu-\(numaNodes)node-\(model)")
  }

  /// Lowercases `text` and replaces each run of characters outside `[a-z0-9]` with one dash,
  /// without leading or trailing dashes, at most 96 characters.
  static func sanitize(_ text: String) -> String {
    var result = ""
    var pendingDash = false
    for scalar in text.lowercased().unicodeScalars {
      let isAllowed = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
      if isAllowed {
        if pendingDash && !result.isEmpty { result.append("-") }
        pendingDash = false
        result.unicodeScalars.append(scalar)
      } else {
        pendingDash = true
      }
    }
    if result.count > 96 {
      result = String(result.prefix(96))
      while result.hasSuffix("-") { result.removeLast() }
    }
    return result.isEmpty ? "unknown" : result
  }

  static func cpuModelName(cpuinfo: String? = SystemFile.readString("/proc/cpuinfo")) -> String {
    guard let cpuinfo else { return "unknown" }
    for key in ["model name", "Hardware", "Processor", "uarch", "cpu model"] {
      if let value = SystemFile.value(forKey: key, in: cpuinfo), !value.isEmpty { return value }
    }
    return "unknown"
  }

  static func totalMemoryBytes(meminfo: String? = SystemFile.readString("/proc/meminfo")) -> Int {
    guard let meminfo, let value = SystemFile.value(forKey: "MemTotal", in: meminfo) else { return 0 }
    let parts = value.split(separator: " ")
    guard let number = parts.first.flatMap({ Int($0) }) else { return 0 }
    let isKilobytes = parts.count > 1 && parts[1].lowercased() == "kb"
    return isKilobytes ? number * 1024 : number
  }

  private static func unameFields() -> (kernel: String, machine: String) {
    var names = utsname()
    guard uname(&names) == 0 else { return ("unknown", "unknown") }
    // Safety: utsname's fields are fixed-size, NUL-terminated C character arrays inside `names`.
    func field<T>(_ value: T) -> String {
      withUnsafeBytes(of: value) { bytes in
        let text = bytes.prefix { $0 != 0 }
        return String(decoding: text, as: UTF8.self)
      }
    }
    return ("\(field(names.sysname)) \(field(names.release))", field(names.machine))
  }

  private static func hostName() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    // Safety: the buffer is live and its last byte stays 0, so the result is NUL-terminated
    // even if gethostname truncates.
    let status = buffer.withUnsafeMutableBufferPointer {
      gethostname($0.baseAddress!, $0.count - 1)
    }
    guard status == 0 else { return "unknown" }
    let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return name.isEmpty ? "unknown" : name
  }
}
