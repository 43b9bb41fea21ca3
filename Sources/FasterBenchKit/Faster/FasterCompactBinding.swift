import FasterCore

/// The engine with compact records: a `FixedSizeStore<UInt64, UInt64>` keyed by the key number.
///
/// Insert and update are upserts; read-modify-write is one engine RMW that adds the payload's
/// value (initial value: the payload's), as FASTER's own RMW benchmark does.
public final class FasterCompactBinding: KeyValueBinding {
  public var name: String { "faster" }
  public let store: FixedSizeStore<UInt64, UInt64>
  let derivedKnobs: [String]

  public init(options: FasterKVOptions, derivedKnobs: [String] = []) throws(BindingError) {
    do {
      store = try FixedSizeStore<UInt64, UInt64>(options: options)
    } catch {
      throw BindingError("cannot open the FasterKV store: \(error.description)")
    }
    self.derivedKnobs = derivedKnobs
  }

  public func makeWorker(threadIndex: Int) throws(BindingError) -> Worker {
    do {
      return Worker(session: try store.newSession())
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
    ])
  }

  /// Adds a delta to the stored value (FASTER's RMW benchmark update).
  struct AddUpdate: FixedSizeUpdate {
    let delta: UInt64
    @inline(__always) func initialValue() -> UInt64 { delta }
    @inline(__always) func updated(_ old: UInt64) -> UInt64 { old &+ delta }
  }

  public struct Worker: BindingWorker {
    let session: FasterSession<FixedSizeRecord<UInt64, UInt64>>
    /// The last value read: keeps reads from being optimised away.
    public private(set) var lastValue: UInt64 = 0

    @inline(__always)
    public mutating func insert(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus {
      BindingStatus(session.upsert(keyNumber, payload.value))
    }

    @inline(__always)
    public mutating func read(_ keyNumber: UInt64) -> BindingStatus {
      var value: UInt64 = 0
      let status = session.read(keyNumber, into: &value)
      lastValue = value
      return BindingStatus(status)
    }

    @inline(__always)
    public mutating func update(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus {
      BindingStatus(session.upsert(keyNumber, payload.value))
    }

    @inline(__always)
    public mutating func readModifyWrite(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus {
      BindingStatus(session.rmw(keyNumber, AddUpdate(delta: payload.value)))
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
      _ = session.completePending(wait: wait)
    }

    public mutating func close() {
      session.end()
    }
  }
}
