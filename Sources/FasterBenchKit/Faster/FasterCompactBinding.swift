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

  init(
    options: FasterKVOptions, device: BenchmarkDevice? = nil, waitForPending: Bool = false,
    derivedKnobs: [String] = []
  ) throws(BindingError) {
    do {
      store = try FixedSizeStore<UInt64, UInt64>(options: options, device: device?.device)
    } catch {
      throw BindingError("cannot open the FasterKV store: \(error.description)")
    }
    self.device = device
    self.waitForPending = waitForPending
    self.derivedKnobs = derivedKnobs
  }

  public convenience init(options: FasterKVOptions, derivedKnobs: [String] = []) throws(BindingError) {
    try self.init(options: options, device: nil, waitForPending: false, derivedKnobs: derivedKnobs)
  }

  public func makeWorker(threadIndex: Int) throws(BindingError) -> Worker {
    do {
      return Worker(
        session: try store.newSession(), pending: PendingTally(waitForEach: waitForPending),
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

  public func deviceLogBytes() -> UInt64? { device == nil ? nil : store.deviceLogBytes }

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

    public mutating func completePending(wait: Bool) {
      pending.complete(session, wait: wait)
    }

    public mutating func close() {
      pending.complete(session, wait: true)
      totals.add(pending)
      session.end()
    }
  }
}
