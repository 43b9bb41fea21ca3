import Foundation
import Testing

@testable import FasterPlatform

@Suite struct MachineInfoTests {
  @Test func currentMachineHasEveryField() {
    let info = MachineInfo.current()
    print("machine: \(info), profile \(info.profileName)")
    #expect(!info.cpuModel.isEmpty)
    #expect(!info.architecture.isEmpty && info.architecture != "unknown")
    #expect(info.logicalCPUs >= 1)
    #expect(info.usableCPUs >= 1 && info.usableCPUs <= info.logicalCPUs)
    #expect(info.numaNodes >= 1)
    #expect(info.memoryBytes > 0)
    #expect(info.kernel.hasPrefix("Linux "))
    #expect(!info.hostname.isEmpty)
    #expect(["always", "madvise", "never", "unavailable"].contains(info.transparentHugePages))
  }

  @Test func profileNameIsSafeAsAFolderName() {
    let name = MachineInfo.current().profileName
    #expect(!name.isEmpty)
    #expect(
      name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" })
    #expect(!name.hasPrefix("-") && !name.hasSuffix("-") && !name.contains("--"))
  }

  @Test func profileNameIsStable() {
    #expect(MachineInfo.current().profileName == MachineInfo.current().profileName)
  }

  @Test func profileNameOfAKnownMachine() {
    let amd = sample(cpuModel: "AMD EPYC 7B13 64-Core Processor")
    #expect(amd.profileName == "x86-64-2cpu-1node-amd-epyc-7b13-64-core-processor")
    let intel = sample(cpuModel: "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz")
    #expect(intel.profileName == "x86-64-2cpu-1node-intel-xeon-platinum-8375c-cpu-2-90ghz")
  }

  @Test func profileNameLeavesOutTheHostName() {
    #expect(sample(hostname: "a").profileName == sample(hostname: "b").profileName)
  }

  @Test func sanitizeBoundsTheLength() {
    let long = MachineInfo.sanitize(String(repeating: "ab-", count: 100))
    #expect(long.count <= 96)
    #expect(!long.hasSuffix("-"))
    #expect(MachineInfo.sanitize("###") == "unknown")
  }

  @Test func roundTripsThroughJSON() throws {
    let info = MachineInfo.current()
    let decoded = try JSONDecoder().decode(MachineInfo.self, from: JSONEncoder().encode(info))
    #expect(decoded == info)
  }

  @Test func parsesCPUModelAndMemory() {
    #expect(MachineInfo.cpuModelName(cpuinfo: "processor\t: 0\nmodel name\t: AMD EPYC\n") == "AMD EPYC")
    #expect(MachineInfo.cpuModelName(cpuinfo: "processor\t: 0\nHardware\t: BCM2835\n") == "BCM2835")
    #expect(MachineInfo.cpuModelName(cpuinfo: "processor\t: 0\n") == "unknown")
    #expect(MachineInfo.cpuModelName(cpuinfo: nil) == "unknown")
    #expect(MachineInfo.totalMemoryBytes(meminfo: "MemTotal:       24683656 kB\n") == 24_683_656 * 1024)
    #expect(MachineInfo.totalMemoryBytes(meminfo: "MemFree: 1 kB\n") == 0)
  }

  func sample(cpuModel: String = "AMD EPYC", hostname: String = "host") -> MachineInfo {
    MachineInfo(
      cpuModel: cpuModel, architecture: "x86_64", logicalCPUs: 2, usableCPUs: 2, numaNodes: 1,
      memoryBytes: 1 << 30, kernel: "Linux 6.1", hostname: hostname, transparentHugePages: "madvise")
  }
}
