/// One entry read from a FasterLog: its address, its payload, and the address to continue
/// from.
///
/// Thread safety: a value type.
public struct FasterLogEntry: Sendable, Equatable {
  /// The entry's logical address (what `enqueue` returned).
  public let address: Address
  /// The payload, as enqueued.
  public let bytes: [UInt8]
  /// The address just past this entry: where an iterator continues.
  public let nextAddress: Address

  public init(address: Address, bytes: [UInt8], nextAddress: Address) {
    self.address = address
    self.bytes = bytes
    self.nextAddress = nextAddress
  }
}
