import CFasterShims
import FasterPlatform
import FasterStorage
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Taking checkpoints (CPR, concurrent prefix recovery) while sessions keep working.
///
/// The driver runs on the caller's thread and moves the system state word through the
/// phases of `SystemState`; sessions follow at their refreshes, so no operation waits for
/// checkpoint I/O. Steps of a checkpoint of version v:
/// 1. Index (full checkpoint): note the tail as the index start, wait one epoch (every
///    operation that allocated below it has published its record), then copy the hash
///    table and overflow buckets to `<token>.index` (fuzzy: operations go on).
/// 2. `inProgress(v + 1)`: wait until every session moved to v + 1 (each records its
///    commit point when it does; idle sessions are moved by the driver).
/// 3. `waitFlush(v + 1)`: the tail is the final address (the version boundary); wait one
///    epoch (every record below it has its header written), then fold-over: flush the
///    log to the final address and sync the device; snapshot: sync the device below
///    the flushed marker and copy [flushed, final) from memory to `<token>.snapshot`;
///    incremental: the same range, but only the pages changed in place since the previous
///    snapshot-kind checkpoint (their dirty flags) and those past its final address, to
///    `<token>.delta`.
/// 4. Write `<token>.meta` (temp name, fdatasync, rename, directory fsync): the
///    checkpoint now exists. Back to `rest(v + 1)`; delete checkpoints beyond
///    `checkpointsToKeep`.
extension FasterKV {
  /// Takes a checkpoint and resumes when it is durable (the work runs on a detached task).
  ///
  /// - Throws: `.alreadyRunning` while another checkpoint runs (one at a time),
  ///   `.notConfigured` without `options.checkpointDirectory` or a device,
  ///   `.device` for I/O. An `.incrementalSnapshot` request without a previous snapshot
  ///   of this store to build on takes a full snapshot (the result's `kind` says which).
  public func checkpoint(_ request: CheckpointRequest = .init()) async throws(CheckpointError)
    -> CheckpointInfo
  {
    let result: Result<CheckpointInfo, CheckpointError> = await Task.detached { [self] in
      do throws(CheckpointError) { return .success(try checkpointAndWait(request)) } catch {
        return .failure(error)
      }
    }.value
    return try result.get()
  }

  /// The checkpoint itself; `checkpointAndWait` (FasterKV+CheckpointObservability.swift)
  /// wraps it with its logs, statistics and trace span.
  func takeCheckpoint(_ request: CheckpointRequest) throws(CheckpointError) -> CheckpointInfo {
    guard let directoryPath = options.checkpointDirectory else {
      throw .notConfigured("set FasterKVOptions.checkpointDirectory to a directory for the checkpoint files")
    }
    guard let device = log.device else {
      throw .notConfigured(
        "the store has no storage device: open it with one (the log is part of every checkpoint)")
    }
    guard
      checkpoints.running.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing)
        .exchanged
    else { throw .alreadyRunning }
    defer { checkpoints.running.store(false, ordering: .releasing) }

    let directory = CheckpointDirectory(path: directoryPath)
    try directory.create()
    // Dropped until this checkpoint is durable: a failure part-way may have cleared dirty
    // flags of pages no durable delta holds, so the next incremental must be full.
    let base = checkpoints.incrementalBase.withLock { base in
      defer { base = nil }
      return base
    }
    let kind = effectiveKind(of: request.kind, base: base, directory: directory)
    let startedAt = Self.wallClockNanoseconds()
    let startTicks = monotonicNanoseconds()
    let token = CheckpointToken.random()
    let version = checkpoints.state.version
    precondition(checkpoints.state.phase == .rest, "a checkpoint left the state word out of rest")
    var bytesWritten: UInt64 = 0
    let begin = log.beginAddress.rawValue

    // 1. The index.
    var indexToken: CheckpointToken? = nil
    var indexStart = begin
    if request.includeIndex {
      indexStart = log.tailAddress.rawValue
      waitForEpoch()
      bytesWritten += try writeIndexCheckpoint(token: token, version: version, to: directory)
      indexToken = token
      StoreEvents.checkpointPhase(self, "index written", token: token, since: startTicks, bytes: bytesWritten)
    } else if let previous = latestIndexCheckpoint(in: directoryPath) {
      indexToken = previous.token
      indexStart = previous.indexStartAddress
    }

    // 2. Version change: sessions move to v + 1 at their next refresh.
    let next = version + 1
    let points: [String: SessionCommitPoint]
    do {
      checkpoints.stateWord.store(
        SystemState(phase: .inProgress, version: next).rawValue, .sequentiallyConsistent)
      points = waitForSessions(toReach: next)
      // 3. Every session is in v + 1: fix the version boundary.
      checkpoints.stateWord.store(
        SystemState(phase: .waitFlush, version: next).rawValue, .sequentiallyConsistent)
    }
    defer {
      checkpoints.stateWord.store(SystemState(phase: .rest, version: next).rawValue, .sequentiallyConsistent)
    }
    let final = log.tailAddress.rawValue
    StoreEvents.checkpointPhase(
      self, "sessions at the new version", token: token, since: startTicks, address: final)
    waitForEpoch()
    var snapshotStart = final
    switch kind {
    case .foldOver:
      let flushedBefore = log.flushedUntilAddress.rawValue
      log.shiftReadOnly(to: Address(final))
      while log.flushedUntilAddress.rawValue < final {
        if let error = log.deviceError { throw .device(error) }
        epoch.drainIfPending()
        usleep(50)
      }
      do { try device.flush() } catch { throw .device(error) }
      bytesWritten += final - Swift.min(final, flushedBefore)
    case .snapshot, .incrementalSnapshot:
      snapshotStart = Swift.min(log.flushedUntilAddress.rawValue, final)
      do { try device.flush() } catch { throw .device(error) }
      bytesWritten += try writeSnapshot(
        token: token, version: version, range: snapshotStart..<final,
        changedAfter: kind == .incrementalSnapshot ? base!.finalAddress : nil, to: directory)
    }
    StoreEvents.checkpointPhase(self, "log written", token: token, since: startTicks, bytes: bytesWritten)

    // 4. The metadata, last and atomically.
    var commitPoints = checkpoints.recoveredPoints.withLock { $0 }
    for (name, point) in points { commitPoints[name] = point }
    var info = CheckpointInfo(
      token: token, kind: kind, version: version, indexToken: indexToken, commitPoints: commitPoints,
      bytesWritten: bytesWritten, startedAtNanoseconds: startedAt, durationNanoseconds: 0,
      beginAddress: begin,
      finalAddress: final, indexStartAddress: indexStart, snapshotStartAddress: snapshotStart,
      pageSizeBytes: UInt64(options.pageSizeBytes), layoutName: String(reflecting: Layout.self),
      previousToken: kind == .incrementalSnapshot ? base!.token : nil)
    info.durationNanoseconds = monotonicNanoseconds() - startTicks
    let metadata = CheckpointFormats.encodeMetadata(info)
    info.bytesWritten += UInt64(metadata.count)
    info.durationNanoseconds = monotonicNanoseconds() - startTicks
    let writer = try CheckpointFileWriter(path: directory.metadataPath(token))
    try writer.write(CheckpointFormats.encodeMetadata(info))
    try writer.commit()
    try directory.sync()
    if kind != .foldOver {
      checkpoints.incrementalBase.withLock {
        $0 = IncrementalSnapshotBase(
          token: token, finalAddress: final, deltaCount: kind == .snapshot ? 0 : base!.deltaCount + 1)
      }
    }
    applyRetention(in: directoryPath)
    return info
  }

  /// A delta chain longer than this is cut by a full snapshot (recovery reads every
  /// file of the chain).
  static var maxDeltasPerChain: Int { 32 }

  /// The kind a request gets: an incremental snapshot needs a base (a snapshot-kind
  /// checkpoint this store took, still in the directory) and a chain shorter than
  /// `maxDeltasPerChain`; otherwise a full snapshot.
  func effectiveKind(
    of requested: CheckpointKind, base: IncrementalSnapshotBase?, directory: CheckpointDirectory
  )
    -> CheckpointKind
  {
    guard requested == .incrementalSnapshot else { return requested }
    guard let base, base.deltaCount < Self.maxDeltasPerChain,
      directory.size(directory.metadataPath(base.token)) != nil
    else { return .snapshot }
    return .incrementalSnapshot
  }

  /// Waits until every protected thread has left the current epoch.
  func waitForEpoch() {
    let done = EpochWaitFlag()
    epoch.bumpEpoch { done.flag.store(true, ordering: .releasing) }
    var spins = 0
    while !done.flag.load(ordering: .acquiring) {
      epoch.drainIfPending()
      spins &+= 1
      if spins & 63 == 0 { sched_yield() } else { cfaster_spin_pause() }
    }
  }

  /// Waits until every registered session is in `version`, moving idle ones (suspended
  /// or ended) itself; returns the commit points of the named ones.
  func waitForSessions(toReach version: UInt64) -> [String: SessionCommitPoint] {
    var spins = 0
    while true {
      var waiting = false
      var points: [String: SessionCommitPoint] = [:]
      checkpoints.sessions.withLock { registrations in
        for registration in registrations {
          registration.fields.withLock { fields in
            if fields.version < version {
              if let idle = fields.idlePoint {
                _ = SessionRegistration.advance(&fields, to: version, point: idle)
              } else {
                waiting = true
                return
              }
            }
            if let name = registration.name, fields.commitVersion == version - 1,
              let point = fields.commitPoint
            {
              points[name] = point
            }
          }
        }
        if !waiting {
          // Ended sessions have given their last commit point: forget them.
          registrations.removeAll { registration in registration.fields.withLock { $0.ended } }
        }
      }
      if !waiting { return points }
      epoch.drainIfPending()
      spins &+= 1
      if spins & 15 == 0 { usleep(100) } else { sched_yield() }
    }
  }

  /// The newest valid full checkpoint in `directory` (its index start), for a log-only
  /// checkpoint to reuse.
  func latestIndexCheckpoint(in directory: String) -> CheckpointInfo? {
    for listing in CheckpointCatalog(directory: directory).list() {
      guard listing.isValid, let info = listing.info, let indexToken = info.indexToken,
        info.beginAddress <= log.beginAddress.rawValue || info.indexStartAddress >= log.beginAddress.rawValue
      else { continue }
      return CheckpointInfo(
        token: indexToken, kind: info.kind, version: info.version, indexToken: indexToken, commitPoints: [:],
        bytesWritten: 0, startedAtNanoseconds: 0, durationNanoseconds: 0, beginAddress: info.beginAddress,
        finalAddress: info.finalAddress, indexStartAddress: info.indexStartAddress,
        snapshotStartAddress: info.snapshotStartAddress, pageSizeBytes: info.pageSizeBytes,
        layoutName: info.layoutName)
    }
    return nil
  }

  /// Copies the hash table and the overflow buckets to `<token>.index`; returns bytes
  /// written.
  func writeIndexCheckpoint(token: CheckpointToken, version: UInt64, to directory: CheckpointDirectory)
    throws(CheckpointError) -> UInt64
  {
    let table = index.table
    let bucketCount = UInt64(table.bucketMask + 1)
    let overflowCount = UInt64(index.overflow.allocatedBucketCount)
    let header = CheckpointFileHeader(
      fileKind: .index, checkpointKind: .foldOver, token: token, version: version, field1: bucketCount,
      field2: overflowCount)
    let writer = try CheckpointFileWriter(path: directory.indexPath(token))
    try writer.write(header.encoded())
    let blockBytes = CheckpointFormats.indexBlockBytes
    let block = UnsafeMutableRawBufferPointer.allocate(byteCount: blockBytes, alignment: 64)
    defer { block.deallocate() }
    var blockFill = 0
    func emit() throws(CheckpointError) {
      guard blockFill > 0 else { return }
      let data = UnsafeRawBufferPointer(rebasing: block[0..<blockFill])
      var prefix = CheckpointByteWriter()
      prefix.append(CRC32C.checksum(data))
      prefix.append(UInt32(blockFill))
      try writer.write(prefix.bytes)
      try writer.write(data)
      blockFill = 0
    }
    // A recovered index must never point into the read cache (it starts empty, and
    // replay compares entries with log addresses): an entry naming a cached record is
    // written as the record's previous address, the chain's newest main-log record. The
    // record is read under epoch protection, in the span that copied the entry, so it
    // is intact (`ReadCache`).
    var protectedSlot: Int? = nil
    if readCache != nil {
      do { protectedSlot = try epoch.acquireSlot() } catch {
        throw .invalidRequest("no epoch slot free to write the index with the read cache on: \(error)")
      }
    }
    defer { if let protectedSlot { epoch.releaseSlot(protectedSlot) } }
    // Buckets are read word by word atomically (sessions write them meanwhile).
    func append(bucket: UnsafeMutableRawPointer) throws(CheckpointError) {
      let copy = block.baseAddress! + blockFill
      if let protectedSlot { epoch.protect(protectedSlot) }
      atomicLoadBytes(from: bucket, to: copy, byteCount: HashBucket.sizeBytes)
      if let protectedSlot {
        for entrySlot in 0..<HashBucket.entryCount {
          let entry = HashBucketEntry(rawValue: (copy + entrySlot * 8).load(as: UInt64.self))
          if entry.address.isReadCache {
            let stripped = entry.with(address: core.skipReadCache(entry.address))
            (copy + entrySlot * 8).storeBytes(of: stripped.rawValue, as: UInt64.self)
          }
        }
        epoch.unprotect(protectedSlot)
      }
      blockFill += HashBucket.sizeBytes
      if blockFill == blockBytes { try emit() }
    }
    for bucket in 0..<Int(bucketCount) { try append(bucket: table.buckets + bucket * HashBucket.sizeBytes) }
    if overflowCount > 0 {
      for address in 1...overflowCount { try append(bucket: index.overflow.pointer(to: address)) }
    }
    try emit()
    try writer.commit()
    return writer.bytesWritten
  }

  /// Copies the log range (in memory, or from the device where evicted meanwhile) to
  /// `<token>.snapshot`, or, with `changedAfter` (the previous snapshot-kind checkpoint's
  /// final address), only its pages changed in place since that checkpoint and those
  /// reaching past `changedAfter`, to `<token>.delta`; returns bytes written.
  ///
  /// Every page's dirty flag is cleared (atomically, a full fence) before the page is
  /// copied: an in-place update sets it after writing the record, so one that the copy
  /// misses sets it again and goes into the next delta.
  func writeSnapshot(
    token: CheckpointToken, version: UInt64, range: Range<UInt64>, changedAfter: UInt64?,
    to directory: CheckpointDirectory
  ) throws(CheckpointError) -> UInt64 {
    let pageSize = UInt64(options.pageSizeBytes)
    var chunks: [Range<UInt64>] = []
    var start = range.lowerBound
    while start < range.upperBound {
      let end = Swift.min((start & ~(pageSize - 1)) + pageSize, range.upperBound)
      let wasDirty = log.buffer.dirtyFlag(Address(start)).compareExchange(expected: 1, desired: 0)
      if let changedAfter, !wasDirty, end <= changedAfter {
        // Unchanged since the previous checkpoint: its chain holds this page.
      } else {
        chunks.append(start..<end)
      }
      start = end
    }
    let isDelta = changedAfter != nil
    let header = CheckpointFileHeader(
      fileKind: isDelta ? .delta : .snapshot, checkpointKind: isDelta ? .incrementalSnapshot : .snapshot,
      token: token, version: version, field1: UInt64(chunks.count), field2: pageSize)
    let writer = try CheckpointFileWriter(
      path: isDelta ? directory.deltaPath(token) : directory.snapshotPath(token))
    try writer.write(header.encoded())
    let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: Int(pageSize), alignment: 4096)
    defer { copy.deallocate() }
    for chunk in chunks {
      do { try log.copyPage(chunk, into: copy) } catch { throw .device(error) }
      var prefix = CheckpointByteWriter()
      prefix.append(chunk.lowerBound)
      prefix.append(UInt32(chunk.count))
      let data = UnsafeRawBufferPointer(rebasing: copy[0..<chunk.count])
      let crc = prefix.bytes.withUnsafeBytes { CRC32C.checksum(data, continuing: CRC32C.checksum($0)) }
      prefix.append(crc)
      try writer.write(prefix.bytes)
      try writer.write(data)
    }
    try writer.commit()
    return writer.bytesWritten
  }

  /// Deletes checkpoints beyond the newest `checkpointsToKeep` valid ones (and files of
  /// incomplete checkpoints older than those), keeping index files still referenced.
  func applyRetention(in directoryPath: String) {
    let catalog = CheckpointCatalog(directory: directoryPath)
    let directory = catalog.files
    let listings = catalog.list()
    let kept = listings.filter(\.isValid).prefix(options.checkpointsToKeep)
    guard let oldestKept = kept.last?.info else { return }
    // A kept incremental checkpoint needs its whole delta chain (metadata and files).
    let infos = Dictionary(
      listings.compactMap { listing in listing.info.map { ($0.token, $0) } }, uniquingKeysWith: { a, _ in a })
    var keptTokens = Set(kept.compactMap(\.token))
    for listing in kept {
      var visited: Set<CheckpointToken> = []
      var previous = listing.info?.previousToken
      while let token = previous, visited.insert(token).inserted {
        keptTokens.insert(token)
        previous = infos[token]?.previousToken
      }
    }
    let neededIndexes = Set(keptTokens.compactMap { infos[$0]?.indexToken })
    for listing in listings {
      guard let token = listing.token, !keptTokens.contains(token) else { continue }
      // A damaged checkpoint newer than the kept ones stays for inspection.
      if let info = listing.info, info.version > oldestKept.version { continue }
      // Metadata first: once it is gone the checkpoint no longer exists.
      directory.remove(directory.metadataPath(token))
      directory.remove(directory.snapshotPath(token))
      directory.remove(directory.deltaPath(token))
      if !neededIndexes.contains(token) { directory.remove(directory.indexPath(token)) }
      for file in listing.files where file.hasSuffix(".tmp") { directory.remove(file) }
    }
    try? directory.sync()
    releaseLogSegments(neededBy: kept.compactMap(\.info))
  }

  /// Deletes the device's segment files that no kept checkpoint needs: those wholly below
  /// both the log's begin (which compaction moves) and the lowest address a kept
  /// checkpoint's recovery reads (its begin, or its index replay start if lower).
  /// Compaction defers its deletions to here while checkpoints are on.
  func releaseLogSegments(neededBy kept: [CheckpointInfo]) {
    guard let device = log.device,
      let needed = kept.map({ Swift.min($0.beginAddress, $0.indexStartAddress) }).min()
    else { return }
    let until = Swift.min(needed, log.beginAddress.rawValue)
    do { try device.truncate(before: until) } catch {
      logger.warning("faster: checkpoint retention could not delete log segments below \(until): \(error)")
      recordSegmentReleaseFailure(below: until, error)
    }
  }

  static func wallClockNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_REALTIME, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
  }

  /// Throws if `name` is empty or an open session has it.
  func checkSessionName(_ name: String) throws(FasterError) {
    guard !name.isEmpty else { throw .invalidConfiguration("a session name must not be empty") }
    let inUse = checkpoints.sessions.withLock { registrations in
      registrations.contains { $0.name == name && !$0.fields.withLock { $0.ended } }
    }
    if inUse { throw .invalidConfiguration("a session named \"\(name)\" is already open: end it first") }
  }
}

/// Set by an epoch action the checkpoint driver waits for.
final class EpochWaitFlag: Sendable {
  let flag = Atomic<Bool>(false)
}
