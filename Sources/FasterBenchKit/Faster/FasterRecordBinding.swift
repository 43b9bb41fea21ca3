import FasterCore
import FasterStorage

/// The engine with YCSB records: a `VariableLengthStore` keyed by YCSB key names
/// (`"user"` + digits), each value `fieldcount x fieldlength` bytes.
///
/// Insert upserts the whole record; update is an engine RMW (``FieldUpdate``) that overwrites one
/// field in place (all with `writeallfields`); read copies the whole value into the worker's
/// buffer; read-modify-write is a read then that RMW.
public final class FasterRecordBinding: KeyValueBinding {
  public var name: String { "faster" }
  public let store: VariableLengthStore
  let shape: RecordShape
  let derivedKnobs: [String]
  /// The disk tier's device, if `faster.device` asked for one (closed with the binding).
  let device: BenchmarkDevice?
  let pendingTotals = PendingTotals()
  let firstFailure = FirstEngineFailure()
  let waitForPending: Bool

  /// `recovering`: open the store from the newest checkpoint in `options.checkpointDirectory`
  /// over `device`'s files instead of empty.
  init(
    shape: RecordShape, options: FasterKVOptions, device: BenchmarkDevice? = nil,
    waitForPending: Bool = false,
    derivedKnobs: [String] = [], recovering: Bool = false
  ) throws(BindingError) {
    if recovering, let storageDevice = device?.device {
      do {
        store = try VariableLengthStore(recoveringWith: options, device: storageDevice)
      } catch {
        throw BindingError("cannot recover the FasterKV store: \(error.description)")
      }
    } else {
      do {
        store = try VariableLengthStore(options: options, device: device?.device)
      } catch {
        throw BindingError("cannot open the FasterKV store: \(error.description)")
      }
    }
    self.shape = shape
    self.device = device
    self.waitForPending = waitForPending
    self.derivedKnobs = derivedKnobs
  }

  public convenience init(shape: RecordShape, options: FasterKVOptions, derivedKnobs: [String] = [])
    throws(BindingError)
  {
    try self.init(
      shape: shape, options: options, device: nil, waitForPending: false, derivedKnobs: derivedKnobs)
  }

  public func makeWorker(threadIndex: Int) throws(BindingError) -> Worker {
    do {
      return Worker(
        session: try store.newSession(), shape: shape, pending: PendingTally(waitForEach: waitForPending),
        totals: pendingTotals, failures: firstFailure)
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

  public struct Worker: BindingWorker {
    let session: FasterSession<VariableLengthRecord>
    let shape: RecordShape
    var pending: PendingTally
    let totals: PendingTotals
    let failures: FirstEngineFailure
    /// The key name being built (owned; freed in `close()`).
    let keyBuffer: UnsafeMutableRawBufferPointer
    /// Where reads copy values (owned; freed in `close()`).
    let readBuffer: UnsafeMutableRawBufferPointer

    init(
      session: FasterSession<VariableLengthRecord>, shape: RecordShape, pending: PendingTally,
      totals: PendingTotals, failures: FirstEngineFailure
    ) {
      self.failures = failures
      self.session = session
      self.shape = shape
      self.pending = pending
      self.totals = totals
      keyBuffer = .allocate(byteCount: max(64, shape.maximumKeyNameBytes), alignment: 8)
      keyBuffer.initializeMemory(as: UInt8.self, repeating: 0)
      readBuffer = .allocate(byteCount: max(8, shape.valueBytes), alignment: 8)
      readBuffer.initializeMemory(as: UInt8.self, repeating: 0)
    }

    @inline(__always)
    private func key(_ keyNumber: UInt64) -> UnsafeRawBufferPointer {
      let length = shape.writeKeyName(keyNumber, into: keyBuffer)
      return UnsafeRawBufferPointer(rebasing: keyBuffer[0..<length])
    }

    @inline(__always)
    public mutating func insert(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus {
      BindingStatus(failures.noting(session.upsert(key: key(keyNumber), value: payload.record)))
    }

    @inline(__always)
    public mutating func read(_ keyNumber: UInt64) -> BindingStatus {
      var valueLength = 0
      return BindingStatus(
        failures.noting(
          pending.resolve(
            session.read(key: key(keyNumber), into: readBuffer, valueLength: &valueLength), session: session))
      )
    }

    @inline(__always)
    public mutating func update(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus {
      BindingStatus(
        failures.noting(
          pending.resolve(session.rmw(key: key(keyNumber), FieldUpdate(payload)), session: session)))
    }

    @inline(__always)
    public mutating func readModifyWrite(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus {
      let status = read(keyNumber)
      guard status != .error else { return status }
      return update(keyNumber, payload)
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

    public mutating func completePending(wait: Bool) {
      pending.complete(session, wait: wait)
    }

    public mutating func close() {
      pending.complete(session, wait: true)
      totals.add(pending)
      session.end()
      keyBuffer.deallocate()
      readBuffer.deallocate()
    }
  }
}
