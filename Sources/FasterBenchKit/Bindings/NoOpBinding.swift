/// A binding that does nothing and succeeds: running the harness against it measures the
/// harness's own cost per operation (generator, chooser, clock reads, histogram recording).
public final class NoOpBinding: KeyValueBinding {
  public var name: String { "noop" }
  public init() {}
  public func makeWorker(threadIndex: Int) throws(BindingError) -> Worker { Worker() }
  public func statistics() -> JSONValue? { nil }

  public struct Worker: BindingWorker {
    @inline(__always) public mutating func insert(_ keyNumber: UInt64, _ payload: RecordPayload)
      -> BindingStatus
    { .ok }
    @inline(__always) public mutating func read(_ keyNumber: UInt64) -> BindingStatus { .ok }
    @inline(__always) public mutating func update(_ keyNumber: UInt64, _ payload: RecordPayload)
      -> BindingStatus
    { .ok }
    @inline(__always) public mutating func readModifyWrite(_ keyNumber: UInt64, _ payload: RecordPayload)
      -> BindingStatus
    { .ok }
    @inline(__always) public mutating func scan(
      from startKeyNumber: UInt64, requestedCount: Int, keyNumbers: UnsafeBufferPointer<UInt64>
    ) -> BindingStatus { .ok }
    public mutating func completePending(wait: Bool) {}
    public mutating func close() {}
  }
}
