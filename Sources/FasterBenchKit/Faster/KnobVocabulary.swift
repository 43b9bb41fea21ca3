import Foundation

/// Translates the engine's own vocabulary in its messages (library field names such as
/// `DeviceOptions.directory`) into the benchmark's knob names (`faster.path`), so a
/// fasterbench user reads the knob to change. The library never names knobs itself.
enum KnobVocabulary {
  /// Library names and their knobs, qualified names before bare ones (a bare name is part
  /// of its qualified form).
  static let translations: [(library: String, knob: String)] = [
    ("readCache.memoryBytes", "faster.readcache.memory"),
    ("readCache.pageSizeBytes", "faster.readcache.pagesize"),
    ("readCache.secondChanceFraction", "faster.readcache.secondchancefraction"),
    ("the file device (DeviceKind.file)", "faster.device=file"),
    ("DeviceKind.file", "faster.device=file"),
    ("DeviceKind.null", "faster.device=null"),
    ("DeviceOptions.directory", "faster.path"),
    ("DeviceOptions.segmentSizeBytes", "faster.log.segmentsize"),
    ("DeviceOptions.queueDepth", "faster.device.queuedepth"),
    ("HybridLogSettings.pageSizeBytes", "faster.log.pagesize"),
    ("HybridLogSettings.memoryBytes", "faster.log.memory"),
    ("HybridLogSettings.mutableFraction", "faster.log.mutablefraction"),
    ("FasterKVOptions.logMemoryBytes", "faster.log.memory"),
    ("FasterKVOptions.indexSizeBytes", "faster.index.size"),
    ("FasterKVOptions.checkpointDirectory", "faster.checkpoint.dir"),
    ("checkpointsToKeep", "faster.checkpoint.keep"),
    ("logMemoryBytes", "faster.log.memory"),
    ("indexSizeBytes", "faster.index.size"),
    ("pageSizeBytes", "faster.log.pagesize"),
    ("mutableFraction", "faster.log.mutablefraction"),
    ("refreshInterval", "faster.refreshinterval"),
  ]

  /// `message` with every library name replaced by its knob.
  static func translate(_ message: String) -> String {
    translations.reduce(message) { text, pair in text.replacingOccurrences(of: pair.library, with: pair.knob)
    }
  }
}
