import CRocksDB
import Foundation

/// RocksDB (Debian's librocksdb-dev, through its C API) as a benchmark binding, so YCSB runs
/// compare the engine with it on the same machine under the same harness.
///
/// Records: compact mode keeps the key number as 8 big-endian bytes and an 8-byte value; ycsb
/// mode keeps YCSB's key name and `fieldcount x fieldlength` bytes. Insert puts the whole
/// record; update puts the record (ycsb mode: reads it and rewrites one field, as YCSB's own
/// RocksDB binding does; an absent key gets a zero-filled record, as the engine's binding);
/// read-modify-write reads then updates (compact mode: adds the payload's value to the stored
/// one, as the engine's RMW does); scan seeks to the start key and reads `requestedCount`
/// records with RocksDB's iterator. Options from the `rocksdb.*` knobs (``RocksDBKnobs``); the
/// database lives in a fresh directory removed when the run ends.
///
/// Thread safety: a RocksDB handle serves any number of threads; each worker owns its buffers.
public final class RocksDBBinding: KeyValueBinding {
  public var name: String { "rocksdb" }
  let knobs: RocksDBKnobs
  let shape: RecordShape
  let directory: PeerDirectory
  let firstError = FirstStoreError()
  // Immutable after init; RocksDB's handles are thread-safe, so the binding is Sendable.
  nonisolated(unsafe) let database: OpaquePointer
  nonisolated(unsafe) let options: OpaquePointer
  nonisolated(unsafe) let tableOptions: OpaquePointer
  nonisolated(unsafe) let cache: OpaquePointer
  nonisolated(unsafe) let writeOptions: OpaquePointer
  nonisolated(unsafe) let readOptions: OpaquePointer

  /// Opens a fresh database.
  ///
  /// - Throws: ``BindingError`` when the directory cannot be made or RocksDB cannot open it.
  public init(shape: RecordShape, knobs: RocksDBKnobs, threadCount: Int = 1) throws(BindingError) {
    self.knobs = knobs
    self.shape = shape
    directory = try PeerDirectory(parent: knobs.path, store: "rocksdb", knob: "rocksdb.path")
    options = rocksdb_options_create()
    rocksdb_options_set_create_if_missing(options, 1)
    rocksdb_options_set_error_if_exists(options, 1)
    rocksdb_options_increase_parallelism(options, Int32(max(2, threadCount)))
    rocksdb_options_set_write_buffer_size(options, knobs.writeBufferBytes)
    let compression: Int
    switch knobs.compression {
    case "snappy": compression = rocksdb_snappy_compression
    case "lz4": compression = rocksdb_lz4_compression
    case "zstd": compression = rocksdb_zstd_compression
    default: compression = rocksdb_no_compression
    }
    rocksdb_options_set_compression(options, Int32(compression))
    cache = rocksdb_cache_create_lru(knobs.blockCacheBytes)
    tableOptions = rocksdb_block_based_options_create()
    rocksdb_block_based_options_set_block_cache(tableOptions, cache)
    rocksdb_options_set_block_based_table_factory(options, tableOptions)
    writeOptions = rocksdb_writeoptions_create()
    rocksdb_writeoptions_disable_WAL(writeOptions, knobs.writeAheadLog ? 0 : 1)
    rocksdb_writeoptions_set_sync(writeOptions, knobs.sync ? 1 : 0)
    readOptions = rocksdb_readoptions_create()
    var error: UnsafeMutablePointer<CChar>? = nil
    let opened = rocksdb_open(options, directory.path, &error)
    guard let opened, error == nil else {
      let message = Self.take(error) ?? "unknown error"
      rocksdb_readoptions_destroy(readOptions)
      rocksdb_writeoptions_destroy(writeOptions)
      rocksdb_options_destroy(options)
      rocksdb_block_based_options_destroy(tableOptions)
      rocksdb_cache_destroy(cache)
      directory.remove()
      throw BindingError("cannot open RocksDB in \(directory.path) (rocksdb.path): \(message)")
    }
    database = opened
  }

  deinit {
    rocksdb_close(database)
    rocksdb_readoptions_destroy(readOptions)
    rocksdb_writeoptions_destroy(writeOptions)
    rocksdb_options_destroy(options)
    rocksdb_block_based_options_destroy(tableOptions)
    rocksdb_cache_destroy(cache)
    directory.remove()
  }

  /// The message of a RocksDB error, freed.
  static func take(_ error: UnsafeMutablePointer<CChar>?) -> String? {
    guard let error else { return nil }
    defer { rocksdb_free(error) }
    return String(cString: error)
  }

  public func makeWorker(threadIndex: Int) throws(BindingError) -> Worker {
    Worker(binding: self)
  }

  /// The options (durability first: what a comparison compares) and RocksDB's key estimate.
  public func statistics() -> JSONValue? {
    var estimate = JSONValue.null
    if let text = rocksdb_property_value(database, "rocksdb.estimate-num-keys") {
      estimate = Double(String(cString: text)).map { .number($0) } ?? .null
      rocksdb_free(text)
    }
    return .object([
      "durability": .string(
        knobs.writeAheadLog
          ? (knobs.sync ? "write-ahead log, fsync per write" : "write-ahead log, no fsync")
          : "no write-ahead log (memtable lost on a crash)"),
      "writeAheadLog": .bool(knobs.writeAheadLog),
      "sync": .bool(knobs.sync),
      "blockCacheBytes": .number(Double(knobs.blockCacheBytes)),
      "writeBufferBytes": .number(Double(knobs.writeBufferBytes)),
      "compression": .string(knobs.compression),
      "estimatedKeys": estimate,
    ])
  }

  public func firstErrorDescription() -> String? { firstError.description }

  public struct Worker: BindingWorker {
    let binding: RocksDBBinding
    let database: OpaquePointer
    let encoder: PeerKeyEncoder
    /// The key being built, and the record read or being rewritten: owned, freed in `close()`.
    let keyBuffer: UnsafeMutableRawBufferPointer
    let recordBuffer: UnsafeMutableRawBufferPointer
    /// The last value read (compact mode): keeps reads from being optimised away.
    public private(set) var lastValue: UInt64 = 0
    /// Records the last scan read.
    public private(set) var lastScanCount = 0

    init(binding: RocksDBBinding) {
      self.binding = binding
      database = binding.database
      encoder = PeerKeyEncoder(shape: binding.shape)
      keyBuffer = .allocate(byteCount: max(64, encoder.maximumKeyBytes), alignment: 8)
      keyBuffer.initializeMemory(as: UInt8.self, repeating: 0)
      recordBuffer = .allocate(byteCount: max(8, binding.shape.valueBytes), alignment: 8)
      recordBuffer.initializeMemory(as: UInt8.self, repeating: 0)
    }

    /// Reads `key`'s value into `recordBuffer` (up to its size); returns the status.
    @inline(__always)
    private func get(_ key: UnsafeRawBufferPointer) -> BindingStatus {
      var error: UnsafeMutablePointer<CChar>? = nil
      let slice = rocksdb_get_pinned(
        database, binding.readOptions, key.baseAddress!.assumingMemoryBound(to: CChar.self), key.count, &error
      )
      if let error {
        binding.firstError.note("RocksDB get: " + (RocksDBBinding.take(error) ?? ""))
        return .error
      }
      guard let slice else { return .notFound }
      defer { rocksdb_pinnableslice_destroy(slice) }
      var length = 0
      guard let value = rocksdb_pinnableslice_value(slice, &length) else { return .notFound }
      recordBuffer.copyMemory(
        from: UnsafeRawBufferPointer(start: value, count: min(length, recordBuffer.count)))
      return .ok
    }

    @inline(__always)
    private func put(_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) -> BindingStatus {
      var error: UnsafeMutablePointer<CChar>? = nil
      rocksdb_put(
        database, binding.writeOptions, key.baseAddress!.assumingMemoryBound(to: CChar.self), key.count,
        value.baseAddress!.assumingMemoryBound(to: CChar.self), value.count, &error)
      if let error {
        binding.firstError.note("RocksDB put: " + (RocksDBBinding.take(error) ?? ""))
        return .error
      }
      return .ok
    }

    public mutating func insert(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus {
      let key = encoder.key(keyNumber, into: keyBuffer)
      if encoder.shape.mode == .compact {
        return withUnsafeBytes(of: payload.value) { put(key, $0) }
      }
      return put(key, payload.record)
    }

    public mutating func read(_ keyNumber: UInt64) -> BindingStatus {
      let status = get(encoder.key(keyNumber, into: keyBuffer))
      if status == .ok { lastValue = recordBuffer.load(as: UInt64.self) }
      return status
    }

    public mutating func update(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus {
      let key = encoder.key(keyNumber, into: keyBuffer)
      if encoder.shape.mode == .compact {
        return withUnsafeBytes(of: payload.value) { put(key, $0) }
      }
      let (offset, bytes) = payload.writtenBytes
      if offset != 0 || bytes.count != encoder.shape.valueBytes {
        // One field: the rest of the record comes from the store (zeros when absent).
        switch get(key) {
        case .error: return .error
        case .notFound: recordBuffer.initializeMemory(as: UInt8.self, repeating: 0)
        case .ok: break
        }
      }
      (recordBuffer.baseAddress! + offset).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
      return put(key, UnsafeRawBufferPointer(rebasing: recordBuffer[0..<encoder.shape.valueBytes]))
    }

    public mutating func readModifyWrite(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus {
      if encoder.shape.mode == .compact {
        let key = encoder.key(keyNumber, into: keyBuffer)
        let status = get(key)
        guard status != .error else { return status }
        let value = status == .ok ? recordBuffer.load(as: UInt64.self) &+ payload.value : payload.value
        return withUnsafeBytes(of: value) { put(key, $0) }
      }
      let status = read(keyNumber)
      guard status != .error else { return status }
      return update(keyNumber, payload)
    }

    /// RocksDB's own ordered scan: seek to the start key, read up to `requestedCount` records.
    /// `.ok` when it read at least the records the ordered index chose (`keyNumbers.count`).
    public mutating func scan(
      from startKeyNumber: UInt64, requestedCount: Int, keyNumbers: UnsafeBufferPointer<UInt64>
    ) -> BindingStatus {
      let key = encoder.key(startKeyNumber, into: keyBuffer)
      let iterator = rocksdb_create_iterator(database, binding.readOptions)!
      defer { rocksdb_iter_destroy(iterator) }
      rocksdb_iter_seek(iterator, key.baseAddress!.assumingMemoryBound(to: CChar.self), key.count)
      var count = 0
      while count < requestedCount && rocksdb_iter_valid(iterator) != 0 {
        var length = 0
        if let value = rocksdb_iter_value(iterator, &length) {
          recordBuffer.copyMemory(
            from: UnsafeRawBufferPointer(start: value, count: min(length, recordBuffer.count)))
        }
        count &+= 1
        rocksdb_iter_next(iterator)
      }
      var error: UnsafeMutablePointer<CChar>? = nil
      rocksdb_iter_get_error(iterator, &error)
      if let error {
        binding.firstError.note("RocksDB scan: " + (RocksDBBinding.take(error) ?? ""))
        return .error
      }
      lastScanCount = count
      return count >= keyNumbers.count ? .ok : .notFound
    }

    public mutating func completePending(wait: Bool) {}

    public mutating func close() {
      keyBuffer.deallocate()
      recordBuffer.deallocate()
    }
  }
}
