// swift-tools-version:6.0
import PackageDescription

// Sanitizer builds (scripts/test.sh sets FASTER_SANITIZER_BUILD=1) leave jemalloc out:
// with libjemalloc linked, the thread and address sanitizers abort at start-up (jemalloc's
// operator new memory is freed by the sanitizer's free). PageAllocator then uses
// posix_memalign, and the results record which backend ran.
let sanitizerBuild = Context.environment["FASTER_SANITIZER_BUILD"] == "1"
let platformDependencies: [Target.Dependency] =
  (sanitizerBuild ? [] : ["CJemalloc"]) + ["CNuma", "CLiburing", "CFasterShims"]
let platformSettings: [SwiftSetting] = sanitizerBuild ? [.define("FASTER_NO_JEMALLOC")] : []

// Fuzz builds (scripts/fuzz.sh sets FASTER_FUZZ_BUILD=1, with FASTER_SANITIZER_BUILD=1, in its own
// scratch path) add one libFuzzer executable per on-disk format parser (Fuzz/). They exist only
// there: each one's main hands its input function to libFuzzer's driver (LLVMFuzzerRunDriver),
// which only a -sanitize=fuzzer link provides.
let fuzzBuild = Context.environment["FASTER_FUZZ_BUILD"] == "1"
let fuzzTargetDependencies: [String: [Target.Dependency]] = [
  "fuzz-log-commit-record": ["FasterCore", "FasterFuzzSupport"],
  "fuzz-log-entry": ["FasterCore", "FasterFuzzSupport"],
  "fuzz-log-recovery": ["FasterCore", "FasterStorage", "FasterFuzzSupport"],
  "fuzz-device-record": ["FasterCore", "FasterStorage", "FasterFuzzSupport"],
  "fuzz-results-json": ["FasterBenchKit", "FasterFuzzSupport"],
  "fuzz-workload-file": ["YCSB", "FasterBenchKit", "FasterFuzzSupport"],
  "fuzz-checkpoint-files": ["FasterCore", "FasterFuzzSupport"],
  "fuzz-checkpoint-delta": ["FasterCore", "FasterFuzzSupport"],
  // Not a fuzzer: writes the seed corpora with the real writers (Fuzz/corpus).
  "fuzz-seeds": ["FasterCore", "FasterStorage"],
]
let fuzzTargets: [Target] =
  fuzzBuild
  ? [
    .target(name: "CFuzzerDriver", path: "Fuzz/CFuzzerDriver"),
    .target(
      name: "FasterFuzzSupport", dependencies: ["CFuzzerDriver", "FasterStorage"],
      path: "Fuzz/FasterFuzzSupport"),
  ]
    + fuzzTargetDependencies.keys.sorted().map { name in
      .executableTarget(name: name, dependencies: fuzzTargetDependencies[name]!, path: "Fuzz/\(name)")
    } : []

// Module layout follows the dependency direction. Every target declares each module it
// imports (nothing is reached only through another target's dependencies):
//   C shims -> FasterPlatform -> FasterCore (the engine)
//   YCSB (generators, workload properties) -> FasterBenchKit (runner, bindings, reports) -> fasterbench
let package = Package(
  name: "swift-faster",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "FasterCore", targets: ["FasterCore"]),
    .library(name: "FasterPlatform", targets: ["FasterPlatform"]),
    .library(name: "FasterStorage", targets: ["FasterStorage"]),
    .library(name: "YCSB", targets: ["YCSB"]),
    .executable(name: "fasterbench", targets: ["fasterbench"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.1.0"),
    .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    // Observability: the store logs slow-path events through swift-log and reports its
    // statistics through swift-metrics (both API-only packages, no backend); fasterbench
    // renders them in Prometheus's text format with swift-prometheus.
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    // Optional trace spans around checkpoint, recovery and compaction (a no-op tracer
    // unless the program bootstraps one).
    .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.1.0"),
  ],
  targets: [
    // System libraries (Debian: libjemalloc-dev, libnuma-dev, liburing-dev; scripts/install-deps.sh).
    .systemLibrary(
      name: "CJemalloc", path: "Sources/CJemalloc", pkgConfig: "jemalloc",
      providers: [.apt(["libjemalloc-dev"])]),
    .systemLibrary(
      name: "CNuma", path: "Sources/CNuma", pkgConfig: "numa",
      providers: [.apt(["libnuma-dev"])]),
    .systemLibrary(
      name: "CLiburing", path: "Sources/CLiburing", pkgConfig: "liburing",
      providers: [.apt(["liburing-dev"])]),
    // DEFLATE for HdrHistogram's compressed V2 encoding in the results files (zlib1g-dev).
    .systemLibrary(
      name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    // Peer stores for fasterbench's comparison bindings (librocksdb-dev, liblmdb-dev).
    .systemLibrary(
      name: "CRocksDB", path: "Sources/CRocksDB", pkgConfig: "rocksdb",
      providers: [.apt(["librocksdb-dev"])]),
    .systemLibrary(
      name: "CLMDB", path: "Sources/CLMDB", pkgConfig: "lmdb", providers: [.apt(["liblmdb-dev"])]),
    // _GNU_SOURCE-only libc calls (affinity, sched_getcpu, O_DIRECT) and the cycle counter.
    .target(name: "CFasterShims"),
    .target(name: "FasterPlatform", dependencies: platformDependencies, swiftSettings: platformSettings),
    .target(
      name: "FasterStorage",
      dependencies: [
        "FasterPlatform", "CLiburing", "CFasterShims", .product(name: "Logging", package: "swift-log"),
      ]),
    // Debug builds check the hybrid log's invariants after every marker shift.
    .target(
      name: "FasterCore",
      dependencies: [
        "FasterPlatform", "FasterStorage", "CFasterShims", .product(name: "Logging", package: "swift-log"),
        .product(name: "CoreMetrics", package: "swift-metrics"),
        .product(name: "Tracing", package: "swift-distributed-tracing"),
      ],
      swiftSettings: [.define("FASTER_CHECK_INVARIANTS", .when(configuration: .debug))]),
    .target(name: "YCSB"),
    .target(
      name: "FasterBenchKit",
      dependencies: [
        "FasterCore", "FasterPlatform", "FasterStorage", "YCSB", "CZlib", "CRocksDB", "CLMDB", "CFasterShims",
        .product(name: "Histogram", package: "hdrhistogram-swift"),
        .product(name: "TOMLKit", package: "TOMLKit"),
        .product(name: "CoreMetrics", package: "swift-metrics"),
        .product(name: "Prometheus", package: "swift-prometheus"),
      ]),
    .executableTarget(
      name: "fasterbench",
      dependencies: [
        "FasterBenchKit", "YCSB",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    // FasterLog crash campaigns: a child that enqueues and commits until SIGKILLed, and
    // the parent that kills it at random moments and checks the recovered log.
    .executableTarget(name: "faster-log-crash-child", dependencies: ["FasterCore", "FasterStorage"]),
    // Store crash campaigns (CPR): a child running named sessions and checkpoints until
    // SIGKILLed, and the parent that recovers the store and checks the prefix guarantee.
    .executableTarget(name: "faster-store-crash-child", dependencies: ["FasterCore", "FasterStorage"]),
    // Shared by the test targets: seeds, temporary directories, threads and barriers, the
    // linearizability checker and the crash harness, whose child process is FasterCrashChild.
    .target(name: "FasterTestSupport", dependencies: ["FasterPlatform"], path: "Tests/FasterTestSupport"),
    .executableTarget(
      name: "FasterCrashChild", dependencies: ["FasterStorage", "FasterTestSupport"],
      path: "Tests/FasterCrashChild"),
    .testTarget(name: "FasterPlatformTests", dependencies: ["FasterPlatform", "FasterTestSupport"]),
    .testTarget(
      name: "FasterStorageTests", dependencies: ["FasterStorage", "FasterTestSupport", "FasterCrashChild"]),
    .testTarget(
      name: "FasterCoreTests",
      dependencies: [
        "FasterCore", "FasterPlatform", "FasterStorage", "FasterTestSupport",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "InMemoryLogging", package: "swift-log"),
        .product(name: "MetricsTestKit", package: "swift-metrics"),
      ]),
    .testTarget(name: "YCSBTests", dependencies: ["YCSB", "FasterTestSupport"]),
    .testTarget(
      name: "FasterBenchKitTests",
      dependencies: [
        "FasterBenchKit", "FasterCore", "FasterPlatform", "FasterStorage", "YCSB", "FasterTestSupport",
        .product(name: "Histogram", package: "hdrhistogram-swift"),
      ]),
  ] + fuzzTargets
)
