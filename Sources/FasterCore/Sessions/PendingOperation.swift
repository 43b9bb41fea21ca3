import FasterStorage

/// An operation waiting for the device: everything it needs to continue on another
/// thread (an owned copy of the key, where to read next, how to finish).
///
/// Slow path: one object per pending operation.
///
/// Thread safety: created by the session's thread, then owned by whichever thread runs
/// its I/O completion, then handed back through the session's `CompletionQueue` or an
/// async continuation; never used by two threads at once.
final class PendingOperation<Layout: RecordLayout>: @unchecked Sendable {
  // @unchecked Sendable: ownership passes from thread to thread as described above.
  typealias Resume =
    @Sendable (
      _ core: StoreCore<Layout>, _ key: Layout.Key, _ deviceRecord: UnsafeMutableRawPointer?,
      _ expectedEntryAddress: Address, _ context: OperationContext, _ pending: inout PendingRequest
    ) -> OperationStatus

  let kind: CompletedOperation<Layout>.Kind
  let serialNumber: UInt64
  let key: Layout.StoredKey
  var request: PendingRequest
  /// Finishes an RMW once its newest record (or its absence) is known.
  let resume: Resume?
  let delivery: Delivery
  /// The `DeviceReaderRegistry` ticket while the device part runs (nil otherwise).
  var readerTicket: UInt64?
  /// The chain is followed down to here: the begin address compaction guarantees on the
  /// device for this reader's generation.
  var chainCutoff = Address.invalid
  /// When the current device part was issued (`FasterKV.issueRead`), for the pending I/O
  /// latency (`FasterKVStatistics.pendingLatency`).
  var issuedAtNanoseconds: UInt64 = 0

  /// The kind counted in the operation statistics.
  var countedKind: OperationKind {
    switch kind {
    case .read: return .read
    case .readModifyWrite: return .rmw
    }
  }

  /// Where the outcome goes.
  enum Delivery {
    case queue(CompletionQueue<Layout>)
    case continuation(CheckedContinuation<PendingOutcome<Layout>, Never>)
  }

  init(
    kind: CompletedOperation<Layout>.Kind, serialNumber: UInt64, key: Layout.StoredKey,
    request: PendingRequest,
    resume: Resume?, delivery: Delivery
  ) {
    self.kind = kind
    self.serialNumber = serialNumber
    self.key = key
    self.request = request
    self.resume = resume
    self.delivery = delivery
  }

  func deliver(_ outcome: PendingOutcome<Layout>) {
    switch delivery {
    case .queue(let queue): queue.push(self, outcome)
    case .continuation(let continuation): continuation.resume(returning: outcome)
    }
  }
}

/// What the device part of a pending operation found.
enum PendingOutcome<Layout: RecordLayout>: @unchecked Sendable {
  // @unchecked Sendable: the buffer is owned by the receiver.
  /// A read finished: its status and value.
  case read(OperationStatus, Layout.Value?)
  /// An RMW's newest record, or nil when the key has none on the device. The receiver
  /// deallocates it.
  case fetched(DeviceRecord?)
  /// The device failed.
  case failed(DeviceError)
}
