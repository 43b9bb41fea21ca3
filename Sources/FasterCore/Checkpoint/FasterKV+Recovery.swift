import Dispatch
import FasterPlatform
import FasterStorage
import Logging

/// Opening a store from a checkpoint (CPR recovery): the newest valid checkpoint in
/// `options.checkpointDirectory` (or the one named), over the same device files.
///
/// Steps: (1) a snapshot's pages go back to the device (for an incremental snapshot: the
/// chain's full snapshot, then each delta in order, each page from the newest file that has
/// it, all above the checkpoint's own snapshot start); (2) the index checkpoint is
/// loaded (tentative entries dropped); (3) the log from the index checkpoint's start to
/// the final address is replayed into the index, and records of versions after the
/// checkpoint are marked invalid on the device; (4) the log reopens with its tail at the
/// final address; (5) the store continues in version v + 1 with the sessions' commit
/// points waiting for `continueSession(name:)`.
extension FasterKV {
  /// Opens a store from a checkpoint. Corrupt or incomplete checkpoints newer than the
  /// one used are reported in `recoveryReport.skipped`; with `token`, that checkpoint or
  /// an error saying what is wrong with it.
  ///
  /// - Throws: `.notConfigured` without a checkpoint directory, `.notFound` when there is
  ///   no valid checkpoint (the message lists what was wrong with each), `.corrupt` for a
  ///   requested token that does not validate, `.invalidRequest` when the options do not
  ///   match the checkpoint (page size, layout, index size), `.device` for I/O errors.
  public convenience init(
    recoveringWith options: FasterKVOptions, device: any StorageDevice, token: CheckpointToken? = nil,
    logger: Logger = FasterLogging.disabled
  ) throws(CheckpointError) {
    let start = monotonicNanoseconds()
    let span = StoreTracing.start("faster.recovery")
    defer { span.end() }
    let info: CheckpointInfo
    let skipped: [CheckpointProblem]
    do { (info, skipped) = try Self.chooseCheckpoint(options: options, token: token) } catch {
      logger.error("faster: recovery failed: \(error)")
      span.fail(error)
      throw error
    }
    do { try self.init(options: options, device: device, logger: logger) } catch {
      span.fail(error)
      throw .invalidRequest("the store cannot be opened with these options: \(error)")
    }
    StoreEvents.recoveryChose(self, info, skipped: skipped)
    let counters: RecoveryCounters
    do {
      counters = try restore(from: info, directory: CheckpointDirectory(path: options.checkpointDirectory!))
    } catch {
      logger.error("faster: recovery failed: \(error)", metadata: ["checkpoint.token": "\(info.token)"])
      span.fail(error)
      throw error
    }
    let report = RecoveryReport(
      token: info.token, skipped: skipped, bytesRead: counters.bytesRead, recordsReplayed: counters.replayed,
      recordsInvalidated: counters.invalidated, durationNanoseconds: monotonicNanoseconds() - start)
    checkpoints.recovered.withLock { $0 = (info, report) }
    StoreEvents.recovered(self, report)
  }

  /// The checkpoint this store was recovered from (nil for a store opened empty).
  public var recoveredCheckpoint: CheckpointInfo? { checkpoints.recovered.withLock { $0.info } }
  /// What recovery did (nil for a store opened empty).
  public var recoveryReport: RecoveryReport? { checkpoints.recovered.withLock { $0.report } }

  /// Resumes the session `name` of the recovered checkpoint: the session continues with
  /// the serial numbers after its commit point, which is returned (the caller replays
  /// its operations after it).
  ///
  /// - Throws: `.invalidConfiguration` if the recovered checkpoint has no session of that
  ///   name (or it was already continued); `.tooManySessions`.
  public func continueSession(name: String) throws(FasterError) -> (FasterSession<Layout>, SessionCommitPoint)
  {
    guard let point = checkpoints.recoveredPoints.withLock({ $0[name] }) else {
      throw .invalidConfiguration(
        "no session named \"\(name)\" to continue: the recovered checkpoint does not have it, or it was continued already"
      )
    }
    try checkSessionName(name)
    let session = try FasterSession(store: self, name: name, serial: point.serial)
    checkpoints.recoveredPoints.withLock { $0[name] = nil }
    return (session, point)
  }

  static func chooseCheckpoint(options: FasterKVOptions, token: CheckpointToken?) throws(CheckpointError) -> (
    CheckpointInfo, [CheckpointProblem]
  ) {
    guard let directory = options.checkpointDirectory else {
      throw .notConfigured("set FasterKVOptions.checkpointDirectory to the directory holding the checkpoints")
    }
    let catalog = CheckpointCatalog(directory: directory)
    let chosen: CheckpointInfo
    var skipped: [CheckpointProblem] = []
    if let token {
      let listing = catalog.listing(for: token)
      if let problem = listing.problems.first {
        if listing.info == nil && catalog.files.size(catalog.files.metadataPath(token)) == nil {
          throw .notFound("checkpoint \(token) is not in \(directory)")
        }
        throw .corrupt(file: problem.file, offset: problem.offset, reason: problem.reason)
      }
      chosen = listing.info!
    } else {
      var found: CheckpointInfo? = nil
      for listing in catalog.list() {
        if listing.isValid {
          if found == nil { found = listing.info }
        } else if found == nil || listing.info == nil {
          // Newer than the one used, or of unknown age (unreadable metadata): reported.
          skipped += listing.problems
        }
      }
      guard let found else {
        let reasons = skipped.isEmpty ? "" : ": " + skipped.map(\.description).joined(separator: "; ")
        throw .notFound("no valid checkpoint in \(directory)\(reasons)")
      }
      chosen = found
    }
    guard chosen.pageSizeBytes == UInt64(options.pageSizeBytes) else {
      throw .invalidRequest(
        "checkpoint \(chosen.token) has page size \(chosen.pageSizeBytes), the options say \(options.pageSizeBytes): open with the same pageSizeBytes"
      )
    }
    guard chosen.layoutName == String(reflecting: Layout.self) else {
      throw .invalidRequest(
        "checkpoint \(chosen.token) holds records of \(chosen.layoutName), this store is \(String(reflecting: Layout.self))"
      )
    }
    return (chosen, skipped)
  }

  struct RecoveryCounters {
    var bytesRead: UInt64 = 0
    var replayed: UInt64 = 0
    var invalidated: UInt64 = 0
  }

  func restore(from info: CheckpointInfo, directory: CheckpointDirectory) throws(CheckpointError)
    -> RecoveryCounters
  {
    guard let device = log.device else { throw .notConfigured("recovery needs the store's device") }
    var counters = RecoveryCounters()
    let io = RecoveryIO(device: device, pageSize: options.pageSizeBytes)
    // 1. Snapshot pages back onto the device: the chain's files oldest first, so a
    // page's newest copy is written last. Below the checkpoint's snapshot start the
    // device already has the log as of this checkpoint (older files there are stale).
    if info.kind != .foldOver {
      let floor = info.snapshotStartAddress
      for member in try CheckpointCatalog(directory: directory.path).snapshotChain(of: info) {
        let path = directory.logDataPath(member)!
        guard let bytes = try directory.read(path) else { throw .notFound("\(path) is missing") }
        counters.bytesRead += UInt64(bytes.count)
        var chunks: [(UInt64, [UInt8])] = []
        try withCheckpointBytes(bytes) { (raw) throws(CheckpointError) in
          try CheckpointFormats.forEachSnapshotChunk(
            raw, file: path, kind: member.kind == .snapshot ? .snapshot : .delta
          ) { address, data in
            let end = address + UInt64(data.count)
            guard end > floor else { return }
            let skip = Int(Swift.max(address, floor) - address)
            chunks.append((address + UInt64(skip), Array(data[skip...])))
          }
        }
        for (address, data) in chunks {
          try withCheckpointBytes(data) { (raw) throws(CheckpointError) in
            try io.overwrite(at: address, with: raw)
          }
        }
      }
      do { try device.flush() } catch { throw .device(error) }
    }
    // 2. The index checkpoint.
    if let indexToken = info.indexToken {
      let path = directory.indexPath(indexToken)
      guard let bytes = try directory.read(path) else { throw .notFound("index file \(path) is missing") }
      counters.bytesRead += UInt64(bytes.count)
      try loadIndex(bytes, file: path)
    }
    // 3. Replay [index start, final) into the index; invalidate later versions.
    let table = index.table
    let versionTag = info.version & RecordInfo.versionMask
    let pageSize = UInt64(options.pageSizeBytes)
    var address = info.indexStartAddress
    let final = info.finalAddress
    let page = UnsafeMutableRawBufferPointer.allocate(byteCount: Int(pageSize), alignment: 4096)
    defer { page.deallocate() }
    while address < final {
      let pageStart = address & ~(pageSize - 1)
      let pageEnd = Swift.min(pageStart + pageSize, final)
      try io.read(pageStart..<pageEnd, into: page)
      counters.bytesRead += pageEnd - pageStart
      var changed = false
      var offset = Int(address - pageStart)
      let limit = Int(pageEnd - pageStart)
      while offset + 8 <= limit {
        let record = page.baseAddress! + offset
        let word = record.load(as: UInt64.self)
        if word == 0 { break }
        let recordAddress = pageStart + UInt64(offset)
        let size: Int
        switch Layout.storedRecordSize(at: record, available: limit - offset) {
        case .size(let claimed) where claimed >= 8 && claimed & 7 == 0 && claimed <= limit - offset:
          size = claimed
        default:
          throw .corrupt(
            file: "log device \(device.name)", offset: Int(recordAddress),
            reason:
              "no valid record at log address \(recordAddress) below the checkpoint's final address \(final)")
        }
        let recordInfo = RecordInfo(rawValue: word)
        if !recordInfo.isInvalid {
          let distance = (recordInfo.version &- versionTag) & RecordInfo.versionMask
          if distance != 0 && distance < (RecordInfo.versionMask + 1) / 2 {
            // A version after the checkpoint: not part of the prefix.
            record.storeBytes(of: word | RecordInfo.invalidBit, as: UInt64.self)
            changed = true
            counters.invalidated += 1
          } else {
            counters.replayed += 1
            guard var slot = table.findOrCreateEntry(Layout.keyHash(ofRecord: record)) else {
              throw .invalidRequest(
                "the index ran out of overflow buckets during recovery: use a larger indexSizeBytes")
            }
            while slot.entry.address.rawValue < recordAddress || slot.entry.address == .invalid {
              if slot.compareExchange(to: Address(recordAddress)) { break }
            }
          }
        }
        offset += size
      }
      if changed { try io.overwrite(at: pageStart, with: UnsafeRawBufferPointer(rebasing: page[0..<limit])) }
      address = pageStart + pageSize
    }
    if counters.invalidated > 0 { do { try device.flush() } catch { throw .device(error) } }
    // 4. The log, tail at the final address.
    let tailPageStart = final & ~(pageSize - 1)
    let tailBytes = UnsafeMutableRawBufferPointer.allocate(byteCount: Int(pageSize), alignment: 4096)
    defer { tailBytes.deallocate() }
    if final > tailPageStart { try io.read(tailPageStart..<final, into: tailBytes) }
    log.restore(
      begin: Address(info.beginAddress), tail: Address(final),
      tailPageBytes: UnsafeRawBufferPointer(rebasing: tailBytes[0..<Int(final - tailPageStart)]))
    // 5. Version v + 1; the commit points wait for continueSession.
    checkpoints.stateWord.store(
      SystemState(phase: .rest, version: info.version + 1).rawValue, .sequentiallyConsistent)
    checkpoints.recoveredPoints.withLock { $0 = info.commitPoints }
    return counters
  }

  /// Copies an index file into the (fresh) index: the bucket array, then the overflow
  /// buckets at the addresses they had. Tentative entries (inserts in flight during the
  /// fuzzy copy) are dropped: their records, if any, are replayed.
  func loadIndex(_ bytes: [UInt8], file: String) throws(CheckpointError) {
    let table = index.table
    let bucketBytes = Int(table.bucketMask + 1) * HashBucket.sizeBytes
    try withCheckpointBytes(bytes) { (raw) throws(CheckpointError) in
      let header = try CheckpointFormats.forEachIndexBlock(raw, file: file) { _, _ in }
      guard header.field1 == table.bucketMask + 1 else {
        throw .invalidRequest(
          "the index checkpoint has \(header.field1) buckets, the options give \(table.bucketMask + 1): open with the indexSizeBytes the checkpoint was taken with (\(header.field1 * 64))"
        )
      }
      var overflowBuckets: [UnsafeMutableRawPointer] = []
      if header.field2 > 0 {
        for expected in 1...header.field2 {
          guard let address = index.overflow.allocate(), address == expected else {
            throw .invalidRequest("cannot allocate the checkpoint's \(header.field2) overflow buckets")
          }
          overflowBuckets.append(index.overflow.pointer(to: address))
        }
      }
      try CheckpointFormats.forEachIndexBlock(raw, file: file) { streamOffset, block in
        var done = 0
        while done < block.count {
          let position = streamOffset + done
          if position < bucketBytes {
            let count = Swift.min(block.count - done, bucketBytes - position)
            (table.buckets + position).copyMemory(from: block.baseAddress! + done, byteCount: count)
            done += count
          } else {
            let overflowPosition = position - bucketBytes
            let bucket = overflowBuckets[overflowPosition / HashBucket.sizeBytes]
            let within = overflowPosition % HashBucket.sizeBytes
            let count = Swift.min(block.count - done, HashBucket.sizeBytes - within)
            (bucket + within).copyMemory(from: block.baseAddress! + done, byteCount: count)
            done += count
          }
        }
      }
      func clean(_ bucket: UnsafeMutableRawPointer) {
        for slot in 0..<HashBucket.entryCount {
          let entry = HashBucketEntry(rawValue: (bucket + slot * 8).load(as: UInt64.self))
          if entry.isTentative { (bucket + slot * 8).storeBytes(of: 0, as: UInt64.self) }
        }
      }
      for bucket in 0..<Int(table.bucketMask + 1) { clean(table.buckets + bucket * HashBucket.sizeBytes) }
      for bucket in overflowBuckets { clean(bucket) }
    }
  }
}

/// Synchronous, sector-aligned device I/O for recovery.
struct RecoveryIO {
  let device: any StorageDevice
  let pageSize: Int

  /// Reads `range` (within one page) into the start of `buffer`; bytes the device does
  /// not have (past the end of its file) read as zeros.
  func read(_ range: Range<UInt64>, into buffer: UnsafeMutableRawBufferPointer) throws(CheckpointError) {
    let alignment = UInt64(device.alignment)
    let alignedStart = range.lowerBound & ~(alignment - 1)
    let alignedEnd = (range.upperBound + alignment - 1) & ~(alignment - 1)
    let staging = UnsafeMutableRawBufferPointer.allocate(
      byteCount: Int(alignedEnd - alignedStart), alignment: Swift.max(Int(alignment), 4096))
    defer { staging.deallocate() }
    staging.initializeMemory(as: UInt8.self, repeating: 0)
    let transferred = try wait { completion in
      device.read(into: staging, at: alignedStart, completion: completion)
    }
    _ = transferred
    let skip = Int(range.lowerBound - alignedStart)
    buffer.baseAddress!.copyMemory(from: staging.baseAddress! + skip, byteCount: range.count)
  }

  /// Writes `bytes` at log address `address` (within one page), keeping the device's other
  /// bytes of the sectors it touches.
  func overwrite(at address: UInt64, with bytes: UnsafeRawBufferPointer) throws(CheckpointError) {
    let alignment = UInt64(device.alignment)
    let end = address + UInt64(bytes.count)
    let alignedStart = address & ~(alignment - 1)
    let alignedEnd = (end + alignment - 1) & ~(alignment - 1)
    let staging = UnsafeMutableRawBufferPointer.allocate(
      byteCount: Int(alignedEnd - alignedStart), alignment: Swift.max(Int(alignment), 4096))
    defer { staging.deallocate() }
    staging.initializeMemory(as: UInt8.self, repeating: 0)
    do {
      _ = try wait { completion in device.read(into: staging, at: alignedStart, completion: completion) }
    } catch {
      // Sectors the device never had (a snapshot's pages were never flushed) read as zeros.
      guard case .device(let deviceError) = error,
        deviceError.kind == .fileMissing || deviceError.kind == .shortTransfer
      else { throw error }
      staging.initializeMemory(as: UInt8.self, repeating: 0)
    }
    (staging.baseAddress! + Int(address - alignedStart)).copyMemory(
      from: bytes.baseAddress!, byteCount: bytes.count)
    var written = 0
    while written < staging.count {
      let piece = UnsafeRawBufferPointer(rebasing: staging[written...])
      let count = try wait { completion in
        device.write(piece, at: alignedStart + UInt64(written), completion: completion)
      }
      guard count > 0 else {
        throw .device(
          DeviceError(
            .shortTransfer,
            message: "recovery: the device wrote 0 bytes at log offset \(alignedStart + UInt64(written))"))
      }
      written += count
    }
  }

  private func wait(_ start: (@escaping IOCompletion) -> Void) throws(CheckpointError) -> Int {
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var outcome: Result<Int, DeviceError> = .success(0)
    start { result in
      outcome = result
      done.signal()
    }
    done.wait()
    switch outcome {
    case .success(let count): return count
    case .failure(let error): throw .device(error)
    }
  }
}
