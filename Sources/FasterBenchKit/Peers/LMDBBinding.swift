import CLMDB
import Foundation

/// LMDB (Debian's liblmdb-dev) as a benchmark binding: a copy-on-write B+tree in a memory map,
/// one writer at a time, readers without locks.
///
/// Records and semantics as ``RocksDBBinding`` (compact mode: 8 big-endian key bytes, 8-byte
/// values; ycsb mode: YCSB key names and whole records, an update rewriting one field). Every
/// write is its own transaction (LMDB serialises writers, so write-heavy runs measure its
/// writer lock); every read renews the worker's read-only transaction. Scans use a cursor from
/// the start key. Environment flags from the `lmdb.*` knobs (``LMDBKnobs``); the environment
/// lives in a fresh directory removed when the run ends.
///
/// Thread safety: the environment is opened with MDB_NOTLS, so each worker's transactions are
/// its own, not its thread's; a worker is used on one thread at a time.
public final class LMDBBinding: KeyValueBinding {
  public var name: String { "lmdb" }
  let knobs: LMDBKnobs
  let shape: RecordShape
  let directory: PeerDirectory
  let mapSizeBytes: Int
  let firstError = FirstStoreError()
  // Immutable after init; LMDB's environment serves every thread (MDB_NOTLS).
  nonisolated(unsafe) let environment: OpaquePointer
  let database: MDB_dbi

  /// The map size used when `lmdb.mapsize` is unset: three times the records' bytes plus
  /// B+tree overhead (64 bytes a record), at least 1 GiB. The file is sparse; only written
  /// pages take space.
  static func defaultMapSize(shape: RecordShape, expectedRecordCount: Int) -> Int {
    let perRecord = PeerKeyEncoder(shape: shape).maximumKeyBytes + shape.valueBytes + 64
    return max(1 << 30, expectedRecordCount * perRecord * 3)
  }

  /// Opens a fresh environment.
  ///
  /// - Throws: ``BindingError`` when the directory cannot be made or LMDB cannot open it.
  public init(shape: RecordShape, knobs: LMDBKnobs, expectedRecordCount: Int, threadCount: Int = 1)
    throws(BindingError)
  {
    self.knobs = knobs
    self.shape = shape
    mapSizeBytes =
      knobs.mapSizeBytes ?? Self.defaultMapSize(shape: shape, expectedRecordCount: expectedRecordCount)
    let directory = try PeerDirectory(parent: knobs.path, store: "lmdb", knob: "lmdb.path")
    self.directory = directory
    func fail(_ what: String, _ code: Int32, _ environment: OpaquePointer?) -> BindingError {
      if let environment { mdb_env_close(environment) }
      directory.remove()
      return BindingError("cannot open LMDB in \(directory.path) (lmdb.path): \(what): \(Self.message(code))")
    }
    var created: OpaquePointer? = nil
    var code = mdb_env_create(&created)
    guard code == 0, let created else { throw fail("mdb_env_create", code, nil) }
    code = mdb_env_set_mapsize(created, mapSizeBytes)
    guard code == 0 else { throw fail("map size \(mapSizeBytes) (lmdb.mapsize)", code, created) }
    code = mdb_env_set_maxreaders(created, UInt32(max(126, threadCount * 2)))
    guard code == 0 else { throw fail("mdb_env_set_maxreaders", code, created) }
    var flags = UInt32(MDB_NOTLS | MDB_NORDAHEAD)
    if knobs.noSync { flags |= UInt32(MDB_NOSYNC) }
    if knobs.noMetaSync { flags |= UInt32(MDB_NOMETASYNC) }
    if knobs.writeMap { flags |= UInt32(MDB_WRITEMAP) }
    code = mdb_env_open(created, directory.path, flags, 0o644)
    guard code == 0 else { throw fail("mdb_env_open", code, created) }
    var transaction: OpaquePointer? = nil
    code = mdb_txn_begin(created, nil, 0, &transaction)
    guard code == 0, let transaction else { throw fail("mdb_txn_begin", code, created) }
    var opened: MDB_dbi = 0
    code = mdb_dbi_open(transaction, nil, 0, &opened)
    guard code == 0 else {
      mdb_txn_abort(transaction)
      throw fail("mdb_dbi_open", code, created)
    }
    code = mdb_txn_commit(transaction)
    guard code == 0 else { throw fail("mdb_txn_commit", code, created) }
    environment = created
    database = opened
  }

  deinit {
    mdb_dbi_close(environment, database)
    mdb_env_close(environment)
    directory.remove()
  }

  /// LMDB's message for `code`, with what to change for the errors a run can cause.
  static func message(_ code: Int32) -> String {
    let text = String(cString: mdb_strerror(code))
    if code == MDB_MAP_FULL { return text + " (raise lmdb.mapsize)" }
    return text
  }

  public func makeWorker(threadIndex: Int) throws(BindingError) -> Worker {
    var reader: OpaquePointer? = nil
    let code = mdb_txn_begin(environment, nil, UInt32(MDB_RDONLY), &reader)
    guard code == 0, let reader else {
      throw BindingError("worker \(threadIndex): LMDB read transaction: \(Self.message(code))")
    }
    mdb_txn_reset(reader)
    return Worker(binding: self, reader: reader)
  }

  /// The flags (durability first: what a comparison compares) and the map's use.
  public func statistics() -> JSONValue? {
    var status = MDB_stat()
    var entries = JSONValue.null
    var pages = JSONValue.null
    var reader: OpaquePointer? = nil
    if mdb_txn_begin(environment, nil, UInt32(MDB_RDONLY), &reader) == 0, let reader {
      if mdb_stat(reader, database, &status) == 0 {
        entries = .number(Double(status.ms_entries))
        pages = .number(Double(status.ms_branch_pages + status.ms_leaf_pages + status.ms_overflow_pages))
      }
      mdb_txn_abort(reader)
    }
    return .object([
      "durability": .string(
        knobs.noSync
          ? "commit without fsync (MDB_NOSYNC: the last transactions are lost on a system crash)"
          : knobs.noMetaSync
            ? "fsync of data at commit, not of the meta page (MDB_NOMETASYNC)" : "fsync at every commit"),
      "noSync": .bool(knobs.noSync),
      "noMetaSync": .bool(knobs.noMetaSync),
      "writeMap": .bool(knobs.writeMap),
      "mapSizeBytes": .number(Double(mapSizeBytes)),
      "entries": entries,
      "pages": pages,
    ])
  }

  public func firstErrorDescription() -> String? { firstError.description }

  public struct Worker: BindingWorker {
    let binding: LMDBBinding
    let environment: OpaquePointer
    let database: MDB_dbi
    let encoder: PeerKeyEncoder
    /// This worker's read-only transaction, reset between reads (renewed for each).
    let reader: OpaquePointer
    /// The key being built, and the record read or being rewritten: owned, freed in `close()`.
    let keyBuffer: UnsafeMutableRawBufferPointer
    let recordBuffer: UnsafeMutableRawBufferPointer
    /// The last value read (compact mode): keeps reads from being optimised away.
    public private(set) var lastValue: UInt64 = 0
    /// Records the last scan read.
    public private(set) var lastScanCount = 0

    init(binding: LMDBBinding, reader: OpaquePointer) {
      self.binding = binding
      environment = binding.environment
      database = binding.database
      encoder = PeerKeyEncoder(shape: binding.shape)
      self.reader = reader
      keyBuffer = .allocate(byteCount: max(64, encoder.maximumKeyBytes), alignment: 8)
      keyBuffer.initializeMemory(as: UInt8.self, repeating: 0)
      recordBuffer = .allocate(byteCount: max(8, binding.shape.valueBytes), alignment: 8)
      recordBuffer.initializeMemory(as: UInt8.self, repeating: 0)
    }

    @inline(__always)
    private static func value(_ bytes: UnsafeRawBufferPointer) -> MDB_val {
      MDB_val(mv_size: bytes.count, mv_data: UnsafeMutableRawPointer(mutating: bytes.baseAddress!))
    }

    /// Notes the first failure and returns `.error`.
    private func failed(_ what: String, _ code: Int32) -> BindingStatus {
      binding.firstError.note("LMDB \(what): \(LMDBBinding.message(code))")
      return .error
    }

    /// Copies `key`'s value into `recordBuffer` inside `transaction`.
    @inline(__always)
    private func get(_ transaction: OpaquePointer, _ key: UnsafeRawBufferPointer) -> BindingStatus {
      var keyValue = Self.value(key)
      var found = MDB_val()
      let code = mdb_get(transaction, database, &keyValue, &found)
      if code == MDB_NOTFOUND { return .notFound }
      guard code == 0 else { return failed("get", code) }
      recordBuffer.copyMemory(
        from: UnsafeRawBufferPointer(start: found.mv_data, count: min(found.mv_size, recordBuffer.count)))
      return .ok
    }

    /// Runs `body` in a write transaction, committed when it returns `.ok` or `.notFound`.
    @inline(__always)
    private func writing(_ body: (OpaquePointer) -> BindingStatus) -> BindingStatus {
      var transaction: OpaquePointer? = nil
      var code = mdb_txn_begin(environment, nil, 0, &transaction)
      guard code == 0, let transaction else { return failed("write transaction", code) }
      let status = body(transaction)
      guard status != .error else {
        mdb_txn_abort(transaction)
        return status
      }
      code = mdb_txn_commit(transaction)
      guard code == 0 else { return failed("commit", code) }
      return status
    }

    @inline(__always)
    private func put(
      _ transaction: OpaquePointer, _ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer
    )
      -> BindingStatus
    {
      var keyValue = Self.value(key)
      var data = Self.value(value)
      let code = mdb_put(transaction, database, &keyValue, &data, 0)
      return code == 0 ? .ok : failed("put", code)
    }

    public mutating func insert(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus {
      let key = encoder.key(keyNumber, into: keyBuffer)
      if encoder.shape.mode == .compact {
        return withUnsafeBytes(of: payload.value) { value in writing { put($0, key, value) } }
      }
      return writing { put($0, key, payload.record) }
    }

    public mutating func read(_ keyNumber: UInt64) -> BindingStatus {
      let key = encoder.key(keyNumber, into: keyBuffer)
      let code = mdb_txn_renew(reader)
      guard code == 0 else { return failed("read transaction", code) }
      let status = get(reader, key)
      mdb_txn_reset(reader)
      if status == .ok { lastValue = recordBuffer.load(as: UInt64.self) }
      return status
    }

    public mutating func update(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus {
      let key = encoder.key(keyNumber, into: keyBuffer)
      if encoder.shape.mode == .compact {
        return withUnsafeBytes(of: payload.value) { value in writing { put($0, key, value) } }
      }
      let (offset, bytes) = payload.writtenBytes
      let valueBytes = encoder.shape.valueBytes
      let record = recordBuffer
      return writing { transaction in
        if offset != 0 || bytes.count != valueBytes {
          // One field: the rest of the record comes from the store (zeros when absent).
          switch get(transaction, key) {
          case .error: return .error
          case .notFound: record.initializeMemory(as: UInt8.self, repeating: 0)
          case .ok: break
          }
        }
        (record.baseAddress! + offset).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        return put(transaction, key, UnsafeRawBufferPointer(rebasing: record[0..<valueBytes]))
      }
    }

    public mutating func readModifyWrite(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus {
      if encoder.shape.mode == .compact {
        let key = encoder.key(keyNumber, into: keyBuffer)
        let record = recordBuffer
        return writing { transaction in
          let status = get(transaction, key)
          guard status != .error else { return status }
          let value = status == .ok ? record.load(as: UInt64.self) &+ payload.value : payload.value
          return withUnsafeBytes(of: value) { put(transaction, key, $0) }
        }
      }
      let status = read(keyNumber)
      guard status != .error else { return status }
      return update(keyNumber, payload)
    }

    /// LMDB's own ordered scan: a cursor from the first key at or after the start key, up to
    /// `requestedCount` records. `.ok` when it read at least the records the ordered index
    /// chose (`keyNumbers.count`).
    public mutating func scan(
      from startKeyNumber: UInt64, requestedCount: Int, keyNumbers: UnsafeBufferPointer<UInt64>
    ) -> BindingStatus {
      let key = encoder.key(startKeyNumber, into: keyBuffer)
      var code = mdb_txn_renew(reader)
      guard code == 0 else { return failed("read transaction", code) }
      defer { mdb_txn_reset(reader) }
      var cursor: OpaquePointer? = nil
      code = mdb_cursor_open(reader, database, &cursor)
      guard code == 0, let cursor else { return failed("cursor", code) }
      defer { mdb_cursor_close(cursor) }
      var keyValue = Self.value(key)
      var found = MDB_val()
      var count = 0
      code = mdb_cursor_get(cursor, &keyValue, &found, MDB_SET_RANGE)
      while code == 0 && count < requestedCount {
        recordBuffer.copyMemory(
          from: UnsafeRawBufferPointer(start: found.mv_data, count: min(found.mv_size, recordBuffer.count)))
        count &+= 1
        code = mdb_cursor_get(cursor, &keyValue, &found, MDB_NEXT)
      }
      guard code == 0 || code == MDB_NOTFOUND else { return failed("scan", code) }
      lastScanCount = count
      return count >= keyNumbers.count ? .ok : .notFound
    }

    public mutating func completePending(wait: Bool) {}

    public mutating func close() {
      mdb_txn_abort(reader)
      keyBuffer.deallocate()
      recordBuffer.deallocate()
    }
  }
}
