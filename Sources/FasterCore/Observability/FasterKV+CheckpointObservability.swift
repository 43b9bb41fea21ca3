import FasterPlatform
import FasterStorage

extension FasterKV {
  /// Takes a checkpoint on the calling thread and returns when it is durable. The caller
  /// must not hold an epoch-protected session of this store on this thread (call
  /// `suspend()` first): the checkpoint waits for every protected session to refresh.
  ///
  /// Logs its start, phases and end at info level (an error when it fails), and counts it
  /// in `statistics.checkpoint`.
  public func checkpointAndWait(_ request: CheckpointRequest = .init()) throws(CheckpointError)
    -> CheckpointInfo
  {
    logger.info(
      "faster: checkpoint started",
      metadata: ["checkpoint.kind": "\(request.kind)", "checkpoint.index": "\(request.includeIndex)"])
    let span = StoreTracing.start("faster.checkpoint")
    defer { span.end() }
    let start = monotonicNanoseconds()
    do {
      let info = try takeCheckpoint(request)
      let nanoseconds = monotonicNanoseconds() - start
      checkpointTotals.withLock { totals in
        totals.checkpoints += 1
        totals.bytesWritten += info.bytesWritten
        totals.totalDurationNanoseconds += nanoseconds
        totals.lastDurationNanoseconds = nanoseconds
      }
      logger.info(
        "faster: checkpoint done",
        metadata: [
          "checkpoint.token": "\(info.token)", "checkpoint.version": "\(info.version)",
          "checkpoint.kind": "\(info.kind)", "checkpoint.bytes": "\(info.bytesWritten)",
          "checkpoint.final.address": "\(info.finalAddress)",
          "duration.ms": "\(Double(nanoseconds) / 1e6)",
        ])
      span.attribute("faster.checkpoint.bytes", Int(info.bytesWritten))
      return info
    } catch {
      checkpointTotals.withLock { totals in
        totals.failures += 1
        totals.lastError = error.description
      }
      logger.error("faster: checkpoint failed: \(error)")
      span.fail(error)
      throw error
    }
  }

  /// Checkpoint retention could not delete the segments compaction left for it: the
  /// device keeps log it no longer needs (disk use grows) until a later retention succeeds.
  func recordSegmentReleaseFailure(below address: UInt64, _ error: DeviceError) {
    compactionTotals.withLock { totals in
      totals.segmentReleaseFailures += 1
      totals.lastError = "log segments below \(address) could not be deleted: \(error)"
    }
  }
}
