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

  /// What the store says about the first operation that returned ERROR (e.g. "disk full
  /// writing …"), for the run's error summary; nil when it has nothing to say.
  func firstErrorDescription() -> String?

  /// Bytes of the store's log on its device now (cheap: read once per status interval for
  /// the results' time series), or nil for a store without one.
  func deviceLogBytes() -> UInt64?
}

extension KeyValueBinding {
  public func firstErrorDescription() -> String? { nil }
  public func deviceLogBytes() -> UInt64? { nil }
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
  /// Completes operations that went asynchronous; with `wait`, until none is pending.
  mutating func completePending(wait: Bool)
  /// Releases the worker's per-thread resources (its session); called once, on its thread.
  mutating func close()
}

/// A binding that cannot be set up or cannot serve another thread.
public struct BindingError: Error, CustomStringConvertible, Sendable {
  public let description: String
  /// The engine's messages name library fields; a benchmark user sees the knobs instead.
  public init(_ description: String) { self.description = KnobVocabulary.translate(description) }
}
