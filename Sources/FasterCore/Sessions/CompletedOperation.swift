/// The result of an operation that returned `.pending`, delivered by
/// `FasterSession.completePendingWithResults(wait:)`.
public struct CompletedOperation<Layout: RecordLayout> {
  public enum Kind: Sendable { case read, readModifyWrite }

  /// The session serial number the operation had when it was issued.
  public let serialNumber: UInt64
  public let kind: Kind
  /// `.ok`, `.notFound` (reads), or an error status.
  public let status: OperationStatus
  /// The value read (reads with `.ok` only).
  public let value: Layout.Value?
}
