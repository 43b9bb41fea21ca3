import FasterCore
import FasterStorage

/// The engine with compact records: a `FixedSizeStore<UInt64, UInt64>` keyed by the key number.
///
/// Insert and update are upserts; read-modify-write is one engine RMW that adds the payload's
/// value (initial value: the payload's), as FASTER's own RMW benchmark does.
public final class FasterCompactBinding: KeyValueBinding {
  public var name: String { "faster" }
  public let store: FixedSizeStore<UInt64, UInt64>
  let derivedKnobs: [String]
  /// The disk tier's device, if `faster.device` asked for one (closed with the binding).
  let device: BenchmarkDevice?
  let pendingTotals = PendingTotals()
  let firstFailure = FirstEngineFailure()
  let waitForPending: Bool
  /// `faster.batch`: the most keys one batched call hands the engine at a time (longer
  /// batches are cut into pieces this long); sizes each worker's result buffers.
  let batchCapacity: Int

  /// `recovering`: open the store from the newest checkpoint in `options.checkpointDirectory`
  /// over `device`'s files instead of empty.
  init(
    options: FasterKVOptions, device: BenchmarkDevice? = nil, waitForPending: Bool = false,
    derivedKnobs: [String] = [], batchCapacity: Int = 1, recovering: Bool = false
  ) throws(BindingError) {
    if recovering, let storageDevice = device?.device {
      do {
        store = try FixedSizeStore<UInt64, UInt64>(recoveringWith: options, device: storageDevice)
      } catch {
        throw BindingError("cannot recover the FasterKV store: \(error.description)")
      }
    } else {
      do {
        store = try FixedSizeStore<UInt64, UInt64>(options: options, device: device?.device)
      } catch {
        throw BindingError("cannot open the FasterKV store: \(error.description)")
      }
    }
    self.device = device
    self.waitForPending = waitForPending
    self.derivedKnobs = derivedKnobs
    self.batchCapacity = max(1, batchCapacity)
  }

  public convenience init(options: FasterKVOptions, derivedKnobs: [String] = []) throws(BindingError) {
    try self.init(options: options, device: nil, waitForPending: false, derivedKnobs: derivedKnobs)
  }

  public func makeWorker(threadIndex: Int) throws(BindingError) -> Worker {
    do {
      return Worker(
        session: try store.newSession(), pending: PendingTally(waitForEach: waitForPending),
        totals: pendingTotals, failures: firstFailure, batchCapacity: batchCapacity)
    } catch {
      throw BindingError(error.description)
    }
  }

  public func statistics() -> JSONValue? {
    .object([
      "options": JSONValue.encoding(store.options) ?? .null,
      "statistics": JSONValue.encoding(store.statistics) ?? .null,
      "logBytesUsed": .number(Double(store.statistics.logBytesUsed)),
      "derivedKnobs": .array(derivedKnobs.map { .string($0) }),
      "pendingOperations": pendingTotals.statistics(),
      "device": device?.statistics() ?? .null,
      "lastDeviceError": store.lastDeviceError.map { .string(KnobVocabulary.translate($0.message)) } ?? .null,
    ])
  }

  public func reportMetrics(to metrics: FasterKVMetrics) {
    store.reportMetrics(to: metrics)
  }
  public func deviceLogBytes() -> UInt64? { device == nil ? nil : store.deviceLogBytes }

  public var recoveryReport: RecoveryReport? { store.recoveryReport }

  public var takesCheckpoints: Bool { store.options.checkpointDirectory != nil && store.device != nil }

  public func checkpoint(_ request: CheckpointRequest) throws(BindingError) -> CheckpointInfo {
    do {
      return try store.checkpointAndWait(request)
    } catch {
      throw BindingError(error.description)
    }
  }

  public func firstErrorDescription() -> String? {
    firstFailure.description(lastDeviceError: store.lastDeviceError?.message)
  }

  /// Adds a delta to the stored value (FASTER's RMW benchmark update).
  struct AddUpdate: FixedSizeUpdate {
    let delta: UInt64
    @inline(__always) func initialValue() -> UInt64 { delta }
    @inline(__always) func updated(_ old: UInt64) -> UInt64 { old &+ delta }
  }

  public struct Worker: BindingWorker {
    let session: FasterSession<FixedSizeRecord<UInt64, UInt64>>
    var pending: PendingTally
    let totals: PendingTotals
    let failures: FirstEngineFailure
    /// The last value read: keeps reads from being optimised away.
    public private(set) var lastValue: UInt64 = 0
    /// The engine's side of a batched call (values and statuses), `batchCapacity` long: owned,
    /// freed in `close()`.
    let batchValues: UnsafeMutableBufferPointer<UInt64>
    let batchStatuses: UnsafeMutableBufferPointer<OperationStatus>

    init(
      session: FasterSession<FixedSizeRecord<UInt64, UInt64>>, pending: PendingTally, totals: PendingTotals,
      failures: FirstEngineFailure, batchCapacity: Int
    ) {
      self.session = session
      self.pending = pending
      self.totals = totals
      self.failures = failures
      batchValues = .allocate(capacity: batchCapacity)
      batchValues.initialize(repeating: 0)
      batchStatuses = .allocate(capacity: batchCapacity)
      batchStatuses.initialize(repeating: .ok)
    }

    @inline(__always)
    public mutating func insert(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus {
      BindingStatus(failures.noting(session.upsert(keyNumber, payload.value)))
    }

    @inline(__always)
    public mutating func read(_ keyNumber: UInt64) -> BindingStatus {
      var value: UInt64 = 0
      let status = failures.noting(pending.resolve(session.read(keyNumber, into: &value), session: session))
      lastValue = value
      return BindingStatus(status)
    }

    @inline(__always)
    public mutating func update(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus {
      BindingStatus(failures.noting(session.upsert(keyNumber, payload.value)))
    }

    @inline(__always)
    public mutating func readModifyWrite(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus {
      BindingStatus(
        failures.noting(
          pending.resolve(session.rmw(keyNumber, AddUpdate(delta: payload.value)), session: session)))
    }

    @inline(__always)
    public mutating func scan(
      from startKeyNumber: UInt64, requestedCount: Int, keyNumbers: UnsafeBufferPointer<UInt64>
    ) -> BindingStatus {
      var result = BindingStatus.ok
      for keyNumber in keyNumbers {
        let status = read(keyNumber)
        if status.rawValue > result.rawValue { result = status }
      }
      return result
    }

    /// A mixed window: every key's bucket, then every key's record, so the runs of one kind
    /// that follow overlap their misses across kinds.
    @inline(__always)
    public mutating func prefetch(batch keyNumbers: UnsafeBufferPointer<UInt64>) {
      for keyNumber in keyNumbers { session.prefetchBucket(for: keyNumber) }
      for keyNumber in keyNumbers { session.prefetchRecord(for: keyNumber) }
    }

    /// The engine's batched read (its prefetching pipeline), `batchCapacity` keys at a time.
    @inline(__always)
    public mutating func read(
      batch keyNumbers: UnsafeBufferPointer<UInt64>, statuses: UnsafeMutableBufferPointer<BindingStatus>
    ) {
      var start = 0
      while start < keyNumbers.count {
        let end = min(keyNumbers.count, start &+ batchValues.count)
        let piece = end &- start
        session.read(
          batch: UnsafeBufferPointer(rebasing: keyNumbers[start..<end]), into: batchValues,
          statuses: batchStatuses)
        for index in 0..<piece {
          let status = failures.noting(pending.resolve(batchStatuses[index], session: session))
          if status == .ok { lastValue = batchValues[index] }
          statuses[start &+ index] = BindingStatus(status)
        }
        start = end
      }
    }

    /// The engine's batched upsert, `batchCapacity` keys at a time.
    @inline(__always)
    public mutating func update(
      batch keyNumbers: UnsafeBufferPointer<UInt64>, _ payloads: UnsafeBufferPointer<RecordPayload>,
      statuses: UnsafeMutableBufferPointer<BindingStatus>
    ) {
      var start = 0
      while start < keyNumbers.count {
        let end = min(keyNumbers.count, start &+ batchValues.count)
        let piece = end &- start
        for index in 0..<piece { batchValues[index] = payloads[start &+ index].value }
        session.upsert(
          batch: UnsafeBufferPointer(rebasing: keyNumbers[start..<end]),
          values: UnsafeBufferPointer(rebasing: batchValues[0..<piece]), statuses: batchStatuses)
        for index in 0..<piece {
          statuses[start &+ index] = BindingStatus(failures.noting(batchStatuses[index]))
        }
        start = end
      }
    }

    /// Read-modify-writes with a delta per key: the engine's batched RMW applies one update to
    /// every key, so this runs the same pipeline through the session's prefetch hints (bucket
    /// `2d` keys ahead, record `d` ahead, as the engine's batches do).
    @inline(__always)
    public mutating func readModifyWrite(
      batch keyNumbers: UnsafeBufferPointer<UInt64>, _ payloads: UnsafeBufferPointer<RecordPayload>,
      statuses: UnsafeMutableBufferPointer<BindingStatus>
    ) {
      let distance = FasterSession<FixedSizeRecord<UInt64, UInt64>>.batchPrefetchDistance
      let count = keyNumbers.count
      var ahead = 0
      while ahead < min(2 &* distance, count) {
        session.prefetchBucket(for: keyNumbers[ahead])
        if ahead < distance { session.prefetchRecord(for: keyNumbers[ahead]) }
        ahead &+= 1
      }
      for index in 0..<count {
        if index &+ 2 &* distance < count { session.prefetchBucket(for: keyNumbers[index &+ 2 &* distance]) }
        if index &+ distance < count { session.prefetchRecord(for: keyNumbers[index &+ distance]) }
        statuses[index] = readModifyWrite(keyNumbers[index], payloads[index])
      }
    }

    public mutating func completePending(wait: Bool) {
      pending.complete(session, wait: wait)
    }

    public mutating func close() {
      pending.complete(session, wait: true)
      totals.add(pending)
      session.end()
      batchValues.deallocate()
      batchStatuses.deallocate()
    }
  }
}
