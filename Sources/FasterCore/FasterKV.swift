import FasterPlatform

/// A concurrent key-value store on FASTER's design: a lock-free hash index over a hybrid
/// log, with epoch protection and per-thread sessions.
///
/// ```swift
/// let store = try FasterKV<FixedSizeRecord<UInt64, UInt64>>(options: FasterKVOptions())
/// let session = try store.newSession()
/// _ = session.upsert(42, 7)
/// var value: UInt64 = 0
/// if session.read(42, into: &value) == .ok { print(value) }
/// ```
///
/// The layout decides the type model: `FixedSizeRecord<K, V>` for blittable keys and
/// values (`FixedSizeStore<K, V>`), `VariableLengthRecord` for byte strings
/// (`VariableLengthStore`). No heap pointer is ever written to the log.
///
/// Thread safety: the store may be shared by any number of threads; each thread uses
/// its own `FasterSession` (at most `options.maxSessions` at once).
public final class FasterKV<Layout: RecordLayout>: @unchecked Sendable {
  // @unchecked Sendable: the parts are themselves thread-safe (see each type); the
  // store's own properties are immutable.
  public let options: FasterKVOptions
  let epoch: LightEpoch
  let index: HashIndex
  let log: HybridLog
  @usableFromInline let core: StoreCore<Layout>

  /// Opens an empty in-memory store.
  ///
  /// - Throws: `FasterError.invalidConfiguration` for bad options or layout types,
  ///   `FasterError.outOfMemory` if the index or log memory cannot be allocated.
  public init(options: FasterKVOptions) throws(FasterError) {
    try options.validate()
    try Layout.validateLayout()
    self.options = options
    epoch = LightEpoch(capacity: options.maxSessions)
    index = try HashIndex(sizeBytes: options.indexSizeBytes, hugePages: options.hugePages)
    log = try HybridLog(options: options, epoch: epoch)
    core = StoreCore(index: index, log: log, epoch: epoch)
  }

  /// Starts a session for the calling thread.
  ///
  /// - Throws: `FasterError.tooManySessions` when `options.maxSessions` are open.
  public func newSession() throws(FasterError) -> FasterSession<Layout> {
    try FasterSession(store: self)
  }

  /// The end of the log: where the next record goes.
  public var tailAddress: Address { log.tailAddress }

  /// The log markers, memory use and index shape, read now. Reads /proc/self/smaps for
  /// the huge-page figure: for the end of a run, not for a hot loop.
  public var statistics: FasterKVStatistics {
    FasterKVStatistics(
      beginAddress: log.beginAddress.rawValue,
      headAddress: log.headAddress.rawValue,
      safeReadOnlyAddress: log.safeReadOnlyAddress.rawValue,
      readOnlyAddress: log.readOnlyAddress.rawValue,
      tailAddress: log.tailAddress.rawValue,
      logMemoryBytes: options.logMemoryBytes,
      pageSizeBytes: options.pageSizeBytes,
      indexSizeBytes: options.indexSizeBytes,
      indexBucketCount: index.bucketCount,
      overflowBucketCount: index.overflow.allocatedBucketCount,
      overflowBucketBytes: index.overflow.allocatedByteCount,
      hugePageBytes: log.hugePageBytes + PageAllocator.hugePageBytes(in: index.region),
      currentEpoch: epoch.currentEpoch)
  }

  /// Raises the read-only marker to `address` (at most the tail): records below it are
  /// no longer updated in place. For tests and tooling (checkpoints use it).
  public func shiftReadOnlyAddress(to address: Address) {
    log.shiftReadOnly(to: address)
  }

  /// The epoch machinery, for tests and tooling.
  public var lightEpoch: LightEpoch { epoch }
}

/// A store of blittable keys and values.
public typealias FixedSizeStore<K: Blittable, V: Blittable> = FasterKV<FixedSizeRecord<K, V>>
/// A store of byte-string keys and values.
public typealias VariableLengthStore = FasterKV<VariableLengthRecord>
