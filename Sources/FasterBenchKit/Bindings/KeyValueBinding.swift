import FasterCore

/// A store the benchmark can drive: created once per phase pair (load then run), shared by all
/// worker threads, each of which gets its own ``Worker`` (for the engine: its own session).
///
/// The runner is generic over the binding (`<B: KeyValueBinding>`), never `any KeyValueBinding`,
/// so every call on the hot path is a direct, specialised call.
///
/// Thread safety: the binding itself is shared; ``makeWorker(threadIndex:)`` is called once on
/// each worker thread, and a worker is used only on the thread that made it.
public protocol KeyValueBinding: AnyObject, Sendable {
  associatedtype Worker: BindingWorker

  /// `faster`, `dictionary`, ...
  var name: String { get }

  /// A worker for the calling thread. Throws when the store cannot serve another thread.
  func makeWorker(threadIndex: Int) throws(BindingError) -> Worker

  /// Store statistics for the results file (e.g. the engine's log addresses), or nil.
  func statistics() -> JSONValue?

  /// Updates `metrics` from the engine's statistics (`--metrics-file`, at each status interval).
  func reportMetrics(to metrics: FasterKVMetrics)

  /// What the store says about the first operation that returned ERROR (e.g. "disk full
  /// writing …"), for the run's error summary; nil when it has nothing to say.
  func firstErrorDescription() -> String?

  /// Bytes of the store's log on its device now (cheap: read once per status interval for
  /// the results' time series), or nil for a store without one.
  func deviceLogBytes() -> UInt64?

  /// Whether ``checkpoint(_:)`` can work (`faster.checkpoint.*`: the engine with a checkpoint
  /// directory and a device).
  var takesCheckpoints: Bool { get }

  /// Takes a checkpoint while the workers go on and returns when it is durable. Called off
  /// the workers' threads.
  func checkpoint(_ request: CheckpointRequest) throws(BindingError) -> CheckpointInfo

  /// What recovery did, for a store opened from a checkpoint (nil otherwise).
  var recoveryReport: RecoveryReport? { get }
}

extension KeyValueBinding {
  public func firstErrorDescription() -> String? { nil }

  /// The bindings that are not a `FasterKV` have no engine metrics.
  public func reportMetrics(to metrics: FasterKVMetrics) {}
  public func deviceLogBytes() -> UInt64? { nil }

  /// The stores that are not a `FasterKV` have no checkpoints.
  public var takesCheckpoints: Bool { false }
  public var recoveryReport: RecoveryReport? { nil }
  public func checkpoint(_ request: CheckpointRequest) throws(BindingError) -> CheckpointInfo {
    throw BindingError(
      "the \(name) binding takes no checkpoints: faster.checkpoint.* needs the faster binding")
  }
}

/// One thread's handle on a ``KeyValueBinding``. All operations take YCSB key numbers; the worker
/// turns them into its own keys (8-byte integers or YCSB names). No operation may allocate per
/// call or throw.
public protocol BindingWorker {
  /// Inserts a whole record (every field of `payload`).
  mutating func insert(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus
  /// Reads the whole record into the worker's buffer.
  mutating func read(_ keyNumber: UInt64) -> BindingStatus
  /// Writes the field(s) of `payload` into an existing record.
  mutating func update(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus
  /// YCSB's read-modify-write: reads the record, then writes the field(s) of `payload`.
  mutating func readModifyWrite(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus
  /// A scan of `requestedCount` records from `startKeyNumber`'s name on: the ordered index has
  /// already chosen the records, `keyNumbers` (the first `requestedCount` keys at or after the
  /// start, in key-name order; fewer at the end of the key space). Reads each;
  /// `.notFound` if any is missing, `.error` if any read fails.
  mutating func scan(
    from startKeyNumber: UInt64, requestedCount: Int, keyNumbers: UnsafeBufferPointer<UInt64>
  ) -> BindingStatus
  /// `faster.batch`: reads `keyNumbers[i]` for every `i`, in order, as one call (a store with a
  /// batched API overlaps their memory accesses); `statuses[i]` gets each key's status.
  /// The default reads them one by one. `statuses.count >= keyNumbers.count`.
  mutating func read(
    batch keyNumbers: UnsafeBufferPointer<UInt64>, statuses: UnsafeMutableBufferPointer<BindingStatus>)
  /// `faster.batch`: `update(keyNumbers[i], payloads[i])` for every `i`, in order, as one call.
  mutating func update(
    batch keyNumbers: UnsafeBufferPointer<UInt64>, _ payloads: UnsafeBufferPointer<RecordPayload>,
    statuses: UnsafeMutableBufferPointer<BindingStatus>)
  /// `faster.batch`: `readModifyWrite(keyNumbers[i], payloads[i])` for every `i`, in order, as one call.
  mutating func readModifyWrite(
    batch keyNumbers: UnsafeBufferPointer<UInt64>, _ payloads: UnsafeBufferPointer<RecordPayload>,
    statuses: UnsafeMutableBufferPointer<BindingStatus>)
  /// `faster.batch`: a hint that `keyNumbers` are about to be operated on, in this order, by
  /// calls of different kinds (a mixed window: reads between updates). A store that can
  /// start loading their memory now does (the engine: every bucket, then every record), so the
  /// short runs of one kind that follow find it in cache. The default does nothing.
  mutating func prefetch(batch keyNumbers: UnsafeBufferPointer<UInt64>)
  /// Completes operations that went asynchronous; with `wait`, until none is pending.
  mutating func completePending(wait: Bool)
  /// Releases the worker's per-thread resources (its session); called once, on its thread.
  mutating func close()
}

/// One operation at a time: the batched calls of a store without a batched API.
extension BindingWorker {
  @inline(__always)
  public mutating func prefetch(batch keyNumbers: UnsafeBufferPointer<UInt64>) {}

  @inline(__always)
  public mutating func read(
    batch keyNumbers: UnsafeBufferPointer<UInt64>, statuses: UnsafeMutableBufferPointer<BindingStatus>
  ) {
    for index in keyNumbers.indices { statuses[index] = read(keyNumbers[index]) }
  }

  @inline(__always)
  public mutating func update(
    batch keyNumbers: UnsafeBufferPointer<UInt64>, _ payloads: UnsafeBufferPointer<RecordPayload>,
    statuses: UnsafeMutableBufferPointer<BindingStatus>
  ) {
    for index in keyNumbers.indices { statuses[index] = update(keyNumbers[index], payloads[index]) }
  }

  @inline(__always)
  public mutating func readModifyWrite(
    batch keyNumbers: UnsafeBufferPointer<UInt64>, _ payloads: UnsafeBufferPointer<RecordPayload>,
    statuses: UnsafeMutableBufferPointer<BindingStatus>
  ) {
    for index in keyNumbers.indices { statuses[index] = readModifyWrite(keyNumbers[index], payloads[index]) }
  }
}

/// A binding that cannot be set up or cannot serve another thread.
public struct BindingError: Error, CustomStringConvertible, Sendable {
  public let description: String
  /// The engine's messages name library fields; a benchmark user sees the knobs instead.
  public init(_ description: String) { self.description = KnobVocabulary.translate(description) }
}
