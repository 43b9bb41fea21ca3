/// The baseline store for compact records: a lock-striped `[UInt64: UInt64]` (64 stripes).
///
/// Semantics match the engine's compact mode: update and insert are upserts; read-modify-write
/// adds the payload's value to the stored one (creating it when absent), as FASTER's RMW
/// benchmark does.
public final class CompactDictionaryBinding: KeyValueBinding {
  public var name: String { "dictionary" }
  let store: StripedDictionary<UInt64, UInt64>

  public init(expectedRecordCount: Int) {
    store = StripedDictionary(stripeCount: 64, expectedCount: expectedRecordCount)
  }

  public func makeWorker(threadIndex: Int) throws(BindingError) -> Worker {
    Worker(store: store)
  }

  public func statistics() -> JSONValue? {
    .object(["records": .number(Double(store.count)), "stripes": .number(Double(store.stripeCount))])
  }

  public struct Worker: BindingWorker {
    let store: StripedDictionary<UInt64, UInt64>
    /// The last value read: keeps reads from being optimised away.
    public private(set) var lastValue: UInt64 = 0

    @inline(__always)
    public mutating func insert(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus {
      store.withStripe(for: keyNumber) { $0[keyNumber] = payload.value }
      return .ok
    }

    @inline(__always)
    public mutating func read(_ keyNumber: UInt64) -> BindingStatus {
      let found: UInt64? = store.withStripe(for: keyNumber) { $0[keyNumber] }
      guard let value = found else { return .notFound }
      lastValue = value
      return .ok
    }

    @inline(__always)
    public mutating func update(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus {
      store.withStripe(for: keyNumber) { $0[keyNumber] = payload.value }
      return .ok
    }

    @inline(__always)
    public mutating func readModifyWrite(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus {
      store.withStripe(for: keyNumber) { $0[keyNumber, default: 0] &+= payload.value }
      return .ok
    }

    @inline(__always)
    public mutating func scan(
      from startKeyNumber: UInt64, requestedCount: Int, keyNumbers: UnsafeBufferPointer<UInt64>
    ) -> BindingStatus {
      var status = BindingStatus.ok
      for keyNumber in keyNumbers where read(keyNumber) != .ok {
        status = .notFound
      }
      return status
    }

    public mutating func completePending(wait: Bool) {}
    public mutating func close() {}
  }
}
