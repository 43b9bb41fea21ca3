import FasterCore
import YCSB

extension EngineKnobs {
  /// The `faster.readcache.*` knobs; the sizes need `faster.readcache.enabled=on` and a
  /// device, so a forgotten switch never silently runs without the cache.
  mutating func parseReadCacheKnobs(_ properties: Properties, form: (String) -> String)
    throws(ConfigurationError)
  {
    if let text = properties["faster.readcache.enabled"] {
      switch text.trimmingCharacters(in: .whitespaces).lowercased() {
      case "on", "true", "yes", "1": readCache = true
      case "off", "false", "no", "0": readCache = false
      default: throw .malformed("faster.readcache.enabled", text, expected: form("faster.readcache.enabled"))
      }
    }
    func size(_ name: String) throws(ConfigurationError) -> Int? {
      guard let text = properties[name] else { return nil }
      guard let bytes = ByteSize.parse(text), bytes > 0, bytes.nonzeroBitCount == 1 else {
        throw .malformed(name, text, expected: form(name))
      }
      return bytes
    }
    readCacheMemoryBytes = try size("faster.readcache.memory")
    readCachePageSizeBytes = try size("faster.readcache.pagesize")
    if let text = properties["faster.readcache.secondchancefraction"] {
      guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value >= 0, value < 1 else {
        throw .malformed(
          "faster.readcache.secondchancefraction", text,
          expected: form("faster.readcache.secondchancefraction"))
      }
      readCacheSecondChanceFraction = value
    }
    let subKnobs = properties.names.filter {
      $0.hasPrefix("faster.readcache.") && $0 != "faster.readcache.enabled"
    }
    if properties["faster.readcache.enabled"] == nil && !subKnobs.isEmpty {
      throw ConfigurationError(
        "\(subKnobs.sorted().joined(separator: ", ")) set but faster.readcache.enabled is not: add faster.readcache.enabled=on"
      )
    }
    if readCache && device == nil {
      throw ConfigurationError(
        "faster.readcache.enabled=on needs a disk tier: set faster.device (uring or file); a memory-only log never reads back from a device"
      )
    }
    if readCache {
      do { try readCacheSettings?.validate() } catch {
        throw ConfigurationError(KnobVocabulary.translate("\(error)"))
      }
    }
  }

  /// The store's read-cache settings these knobs ask for (nil when off).
  var readCacheSettings: ReadCacheSettings? {
    guard readCache else { return nil }
    var settings = ReadCacheSettings()
    if let readCacheMemoryBytes { settings.memoryBytes = readCacheMemoryBytes }
    if let readCachePageSizeBytes { settings.pageSizeBytes = readCachePageSizeBytes }
    if let readCacheSecondChanceFraction { settings.secondChanceFraction = readCacheSecondChanceFraction }
    return settings
  }
}
