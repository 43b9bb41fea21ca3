import FasterCore
import FasterPlatform

extension EngineKnobs {
  /// Bytes a record takes in the log, for sizing the log when `faster.log.memory` is unset.
  /// Compact: an 8-byte header, key and value. ycsb (`VariableLengthRecord`): the header, the
  /// key and value lengths, the value's lock word (8 bytes each), then the key and the value,
  /// each rounded up to 8 bytes; the key at its longest.
  static func estimatedRecordBytes(_ shape: RecordShape) -> Int {
    func word(_ bytes: Int) -> Int { (bytes + 7) & ~7 }
    switch shape.mode {
    case .compact: return 24
    case .ycsb: return 8 + 8 + 8 + word(shape.maximumKeyNameBytes) + word(shape.valueBytes)
    }
  }

  /// The engine options these knobs ask for. Unset knobs take the engine's defaults, except two
  /// sizes derived from the workload so a plain YCSB file runs without engine tuning:
  ///
  /// - `faster.index.size`: one 64-byte bucket per two expected records (as FASTER's own YCSB
  ///   benchmark sizes its table), rounded up to a power of two, at least 64 KiB.
  /// - `faster.log.memory`: twice the expected records' bytes (room for read-only copies),
  ///   rounded up to a power of two, at least 64 MiB and two pages.
  ///
  /// `derived` lists the knobs that were derived.
  func fasterKVOptions(shape: RecordShape, expectedRecordCount: Int, threadCount: Int)
    -> (options: FasterKVOptions, derived: [String])
  {
    var options = FasterKVOptions()
    var derived: [String] = []
    if let pageSizeBytes { options.pageSizeBytes = pageSizeBytes }
    if let indexSizeBytes {
      options.indexSizeBytes = indexSizeBytes
    } else {
      let buckets = Self.powerOfTwo(atLeast: max(1, expectedRecordCount / 2))
      options.indexSizeBytes = max(64 << 10, buckets * 64)
      derived.append("faster.index.size")
    }
    if let logMemoryBytes {
      options.logMemoryBytes = logMemoryBytes
    } else {
      let bytes = 2 * expectedRecordCount * Self.estimatedRecordBytes(shape)
      options.logMemoryBytes = Self.powerOfTwo(atLeast: max(bytes, 64 << 20, 2 * options.pageSizeBytes))
      derived.append("faster.log.memory")
    }
    if let mutableFraction { options.mutableFraction = mutableFraction }
    options.hugePages = hugePages ? .madvise : .off
    if let refreshInterval { options.refreshInterval = refreshInterval }
    options.maxSessions = max(options.maxSessions, threadCount + 2)
    options.autoCompaction = autoCompactionPolicy
    if let checkpointsToKeep { options.checkpointsToKeep = checkpointsToKeep }
    options.readCache = readCacheSettings
    return (options, derived)
  }

  static func powerOfTwo(atLeast value: Int) -> Int {
    var power = 1
    while power < value { power <<= 1 }
    return power
  }
}
