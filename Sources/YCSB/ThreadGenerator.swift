/// One client thread's view of a CoreWorkload: which operation comes next, on which key, with
/// which scan length, field and random bytes.
///
/// Each thread has its own `RandomSource`, seeded from (seed, threadIndex), so the same seed and
/// thread count give every thread the same operation and key sequence, run after run (except
/// where threads share state by design: the insert counter, the acknowledged limit that bounds
/// key choices, and the sequential key counter).
///
/// After `init`, no method allocates; the key choosers are value types kept inline.
///
/// Thread safety: use each ThreadGenerator from one thread at a time; the shared
/// `WorkloadState` is thread-safe.
public struct ThreadGenerator: Sendable {
  public let threadIndex: Int
  public let seed: UInt64
  @usableFromInline let shared: WorkloadState
  @usableFromInline var random: RandomSource
  @usableFromInline var keyChooser: KeyChooser
  @usableFromInline var scanLengthChooser: ScanLengthChooser
  @usableFromInline var fieldLengthChooser: FieldLengthChooser
  @usableFromInline let operationChooser: DiscreteGenerator<Operation>
  @usableFromInline let fieldChooser: UniformGenerator
  @usableFromInline let insertOrderHashed: Bool
  @usableFromInline let zeroPadding: Int

  /// A generator for thread `threadIndex`. Precondition: `workload == shared.workload`.
  public init(workload: CoreWorkload, shared: WorkloadState, seed: UInt64, threadIndex: Int) {
    precondition(workload == shared.workload, "ThreadGenerator: workload differs from the shared state's")
    self.init(shared: shared, seed: seed, threadIndex: threadIndex)
  }

  /// A generator for thread `threadIndex` of the workload in `shared`.
  public init(shared: WorkloadState, seed: UInt64, threadIndex: Int) {
    precondition(threadIndex >= 0, "thread index \(threadIndex) is negative")
    self.threadIndex = threadIndex
    self.seed = seed
    self.shared = shared
    self.random = RandomSource(seed: seed, stream: UInt64(threadIndex))
    self.keyChooser = shared.keyChooserPrototype
    self.scanLengthChooser = shared.scanLengthPrototype
    self.fieldLengthChooser = shared.fieldLengthPrototype
    self.operationChooser = shared.operationChooser
    self.fieldChooser = shared.fieldChooser
    self.insertOrderHashed = shared.workload.insertOrderHashed
    self.zeroPadding = shared.workload.zeroPadding
  }

  public var workload: CoreWorkload { shared.workload }

  /// The next operation, drawn with the workload's normalised proportions.
  @inlinable
  public mutating func nextOperation() -> Operation {
    operationChooser.next(using: &random)
  }

  /// The key number for the next read, update, scan or read-modify-write: drawn from the request
  /// distribution and redrawn while it lies past the acknowledged insert limit (for exponential:
  /// limit minus the draw, redrawn while negative), as CoreWorkload's nextKeynum does.
  @inlinable
  public mutating func nextKeyNumber() -> UInt64 {
    let limitValue = shared.insertKeySequence.lastValue
    precondition(limitValue >= 0, "no acknowledged key to choose from (recordcount is 0)")
    let limit = UInt64(limitValue)
    var key: UInt64
    switch keyChooser {
    case .uniform(let generator):
      repeat { key = generator.next(using: &random) } while key > limit
    case .zipfian(var generator):
      repeat { key = generator.next(using: &random) } while key > limit
      keyChooser = .zipfian(generator)
    case .latest(var generator):
      repeat { key = generator.next(limit: limit, using: &random) } while key > limit
      keyChooser = .latest(generator)
    case .hotspot(let generator):
      repeat { key = generator.next(using: &random) } while key > limit
    case .sequential(let generator):
      repeat { key = generator.next() } while key > limit
    case .exponential(let generator):
      repeat {
        let distance = generator.next(using: &random)
        key = distance < Double(limit) + 1 ? limit - UInt64(distance) : UInt64.max
      } while key > limit
    }
    return key
  }

  /// The key number for the next run-phase insert. Acknowledge it when the insert completes.
  @inlinable
  public func nextInsertKeyNumber() -> UInt64 {
    shared.insertKeySequence.next()
  }

  /// Marks the insert of `keyNumber` (from `nextInsertKeyNumber`) complete, successful or not,
  /// so later key choices may pick it (YCSB acknowledges in a `finally`).
  public func acknowledgeInsert(_ keyNumber: UInt64) {
    shared.insertKeySequence.acknowledge(keyNumber)
  }

  /// The length of the next scan, in [minscanlength, maxscanlength].
  @inlinable
  public mutating func nextScanLength() -> Int {
    switch scanLengthChooser {
    case .uniform(let generator):
      return Int(generator.next(using: &random))
    case .zipfian(var generator):
      let length = generator.next(using: &random)
      scanLengthChooser = .zipfian(generator)
      return Int(length)
    }
  }

  /// A field index uniform in [0, fieldcount).
  @inlinable
  public mutating func nextFieldIndex() -> Int {
    Int(fieldChooser.next(using: &random))
  }

  /// The length in bytes of the next field value written (`fieldlengthdistribution`).
  @inlinable
  public mutating func nextFieldLength() -> Int {
    switch fieldLengthChooser {
    case .constant(let length):
      return length
    case .uniform(let generator):
      return Int(generator.next(using: &random))
    case .zipfian(var generator):
      let length = generator.next(using: &random)
      fieldLengthChooser = .zipfian(generator)
      return Int(length)
    }
  }

  /// 64 random bits from this thread's stream (for field bytes).
  @inlinable
  public mutating func nextRandom() -> UInt64 {
    random.next()
  }

  /// Fills `buffer` with random bytes from this thread's stream.
  @inlinable
  public mutating func fillRandomBytes(_ buffer: UnsafeMutableRawBufferPointer) {
    var offset = 0
    while offset + 8 <= buffer.count {
      buffer.storeBytes(of: random.next(), toByteOffset: offset, as: UInt64.self)
      offset += 8
    }
    if offset < buffer.count {
      var word = random.next()
      while offset < buffer.count {
        buffer[offset] = UInt8(truncatingIfNeeded: word)
        word >>= 8
        offset += 1
      }
    }
  }

  /// Writes the key name of `keyNumber` (workload's insert order and padding) into `buffer`;
  /// returns its length. Does not allocate. Precondition: buffer holds
  /// `KeyNames.maximumLength(zeroPadding: workload.zeroPadding)` bytes.
  @inlinable
  public func keyName(_ keyNumber: UInt64, into buffer: UnsafeMutableRawBufferPointer) -> Int {
    KeyNames.keyNumberToName(keyNumber, hashed: insertOrderHashed, zeroPadding: zeroPadding, into: buffer)
  }

  /// The load-phase key numbers of thread `threadIndex` (see `CoreWorkload.loadKeyNumbers`).
  public func loadKeyNumbers(threadIndex: Int, threadCount: Int) -> Range<UInt64> {
    shared.workload.loadKeyNumbers(threadIndex: threadIndex, threadCount: threadCount)
  }

  /// Thread `thread`'s share of `total` (see `CoreWorkload.share`).
  public static func share(of total: Int, thread: Int, threads: Int) -> Int {
    CoreWorkload.share(of: total, thread: thread, threads: threads)
  }
}
