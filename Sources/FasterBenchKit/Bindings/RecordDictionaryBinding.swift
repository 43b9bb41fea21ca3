/// The baseline store for YCSB records: a lock-striped `[KeyName: ContiguousArray<UInt8>]`
/// (64 stripes), keys built as YCSB names like the engine's, values `fieldCount x fieldLength`
/// bytes.
///
/// Semantics match the engine's ycsb mode: insert stores the whole record; update overwrites one
/// field (or all) in place, creating a zero-filled record when the key is absent (the engine's
/// RMW does the same); read copies the whole value into the worker's buffer; read-modify-write
/// is a read followed by an update.
public final class RecordDictionaryBinding: KeyValueBinding {
  public var name: String { "dictionary" }
  let store: StripedDictionary<KeyName, ContiguousArray<UInt8>>
  let shape: RecordShape

  /// - Throws: when the key names can exceed 32 bytes (`zeropadding` above 28).
  public init(shape: RecordShape, expectedRecordCount: Int) throws(BindingError) {
    guard shape.maximumKeyNameBytes <= KeyName.capacityBytes else {
      throw BindingError(
        "the dictionary binding keeps key names inline in 32 bytes; zeropadding=\(shape.zeroPadding) "
          + "allows \(shape.maximumKeyNameBytes): use zeropadding <= 28")
    }
    self.shape = shape
    store = StripedDictionary(stripeCount: 64, expectedCount: expectedRecordCount)
  }

  public func makeWorker(threadIndex: Int) throws(BindingError) -> Worker {
    Worker(store: store, shape: shape)
  }

  public func statistics() -> JSONValue? {
    .object(["records": .number(Double(store.count)), "stripes": .number(Double(store.stripeCount))])
  }

  public struct Worker: BindingWorker {
    let store: StripedDictionary<KeyName, ContiguousArray<UInt8>>
    let shape: RecordShape
    /// Where reads copy the value: owned by this worker, freed in `close()`.
    let readBuffer: UnsafeMutableRawBufferPointer

    init(store: StripedDictionary<KeyName, ContiguousArray<UInt8>>, shape: RecordShape) {
      self.store = store
      self.shape = shape
      readBuffer = .allocate(byteCount: shape.valueBytes, alignment: 8)
      readBuffer.initializeMemory(as: UInt8.self, repeating: 0)
    }

    @inline(__always)
    public mutating func insert(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus {
      let key = KeyName(keyNumber, shape: shape)
      let value = ContiguousArray(payload.record)
      store.withStripe(for: key) { $0[key] = value }
      return .ok
    }

    @inline(__always)
    public mutating func read(_ keyNumber: UInt64) -> BindingStatus {
      let key = KeyName(keyNumber, shape: shape)
      let buffer = readBuffer
      let found = store.withStripe(for: key) { dictionary -> Bool in
        dictionary[key]?.withUnsafeBytes { buffer.copyMemory(from: $0) } != nil
      }
      return found ? .ok : .notFound
    }

    @inline(__always)
    public mutating func update(_ keyNumber: UInt64, _ payload: RecordPayload) -> BindingStatus {
      let key = KeyName(keyNumber, shape: shape)
      let (offset, bytes) = payload.writtenBytes
      let valueBytes = shape.valueBytes
      store.withStripe(for: key) { dictionary in
        let updated: Void? = dictionary[key]?.withUnsafeMutableBytes {
          // Safety: every stored value is valueBytes long and offset + bytes.count <= valueBytes.
          ($0.baseAddress! + offset).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        }
        if updated == nil {
          var record = ContiguousArray<UInt8>(repeating: 0, count: valueBytes)
          record.withUnsafeMutableBytes {
            ($0.baseAddress! + offset).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
          }
          dictionary[key] = record
        }
      }
      return .ok
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
      var status = BindingStatus.ok
      for keyNumber in keyNumbers where read(keyNumber) != .ok {
        status = .notFound
      }
      return status
    }

    public mutating func completePending(wait: Bool) {}

    public mutating func close() {
      readBuffer.deallocate()
    }
  }
}
