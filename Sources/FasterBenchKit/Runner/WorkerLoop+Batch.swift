import FasterPlatform
import YCSB

/// `faster.batch=N` (run phase): the worker takes the next N operations of its stream at a
/// time (a ``BatchWindow``, drawn before any is timed: kinds, keys, payloads), then runs them
/// in stream order, each run of consecutive reads, updates or read-modify-writes as one batched
/// call on the binding; inserts and scans run one by one, as they do without batching.
///
/// Latency: a run of k operations is timed as a whole (two clock reads), and each of its
/// operations is recorded with the run's time divided by k: the histograms hold the amortised
/// cost per operation, so throughput and mean latency agree as they do with single operations;
/// percentiles then describe runs, not the wait of one operation (which is the whole run's time).
/// `measurement.sampling` does not apply (every run is timed); `target` is refused
/// (``BenchmarkConfiguration``). Inserts draw their key when they run (the insert counter);
/// reads drawn earlier in the same window do not see them yet, which lags the key chooser's
/// acknowledged limit by at most N operations.
extension WorkerLoop {
  mutating func runBatched(startTick: UInt64) -> WorkerOutcome {
    precondition(plan.ticksPerOperation == 0, "faster.batch > 1 runs unthrottled")
    let window = BatchWindow(capacity: plan.batchSize, valueBytes: shape.valueBytes)
    let insertRecord = UnsafeMutableRawBufferPointer.allocate(
      byteCount: max(8, shape.valueBytes), alignment: 8)
    insertRecord.initializeMemory(as: UInt8.self, repeating: 0)
    let scanBuffer = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: max(1, plan.maximumScanLength))
    defer {
      window.deallocate()
      insertRecord.deallocate()
      scanBuffer.deallocate()
    }
    let compact = shape.mode == .compact
    let fieldLength = shape.fieldLength
    let nanosecondsPerTick = clock.nanosecondsPerTick
    let measureStartTick = startTick &+ plan.warmupTicks
    let deadlineTick =
      plan.maximumExecutionTicks == .max
      ? UInt64.max : measureStartTick &+ min(plan.maximumExecutionTicks, UInt64.max - measureStartTick)
    var nextFlushTick = measureStartTick &+ plan.statusIntervalTicks
    var interval = OperationMeasurements(
      recordsActual: plan.recordsActual, recordsIntended: plan.recordsIntended)
    var total = OperationMeasurements(
      recordsActual: plan.recordsActual, recordsIntended: plan.recordsIntended)
    var indexCost = OrderedIndexCost()
    var measured = 0
    var warmupOperations: UInt64 = 0
    var sinceCompletePending = 0
    var endTick = startTick
    var errors = 0
    var stoppedForErrors = false
    let spinTicks = plan.spinTicksPerOperation

    outer: while measured < plan.operationQuota {
      // Draw the window (untimed). Near the quota, only what is left of it.
      let count = min(window.capacity, plan.operationQuota &- measured)
      for slot in 0..<count {
        let operation: Operation
        var keyNumber: UInt64 = 0
        if let stream = operationStream {
          let entry = stream[streamCursor]
          streamCursor &+= 1
          if streamCursor == stream.count { streamCursor = 0 }
          operation = OperationStream.operation(of: entry)
          keyNumber = OperationStream.keyNumber(of: entry)
        } else {
          operation = generator.nextOperation()
          if operation != .insert { keyNumber = generator.nextKeyNumber() }
        }
        window.operations[slot] = operation
        window.keyNumbers[slot] = keyNumber
        if operation == .update || operation == .readModifyWrite {
          let record = window.record(slot)
          var payload = RecordPayload(
            value: 0, record: UnsafeRawBufferPointer(record), fieldIndex: -1, fieldLength: fieldLength)
          if compact {
            payload.value = generator.nextRandom()
          } else {
            if !plan.writeAllFields { payload.fieldIndex = generator.nextFieldIndex() }
            fillFields(record, payload: &payload)
          }
          window.payloads[slot] = payload
        }
      }

      // A mixed window (more than one kind among its reads, updates and read-modify-writes)
      // splits into short runs: the binding may start loading every key first. Counted in
      // the first run's time. Inserts and scans draw or choose their keys later: left out.
      var prefetchKeys = 0
      var mixed = false
      var firstKind = Operation.read
      for slot in 0..<count {
        let operation = window.operations[slot]
        guard operation == .read || operation == .update || operation == .readModifyWrite else { continue }
        if prefetchKeys == 0 { firstKind = operation } else if operation != firstKind { mixed = true }
        window.prefetchKeyNumbers[prefetchKeys] = window.keyNumbers[slot]
        prefetchKeys &+= 1
      }
      let prefetchStart = CycleClock.now()
      if mixed {
        worker.prefetch(batch: UnsafeBufferPointer(rebasing: window.prefetchKeyNumbers[0..<prefetchKeys]))
      }

      // Run it: each run of one kind as one call, timed as a whole.
      var slot = 0
      var firstRun = true
      while slot < count {
        let operation = window.operations[slot]
        var end = slot &+ 1
        if operation == .read || operation == .update || operation == .readModifyWrite {
          while end < count && window.operations[end] == operation { end &+= 1 }
        }
        let keys = UnsafeBufferPointer(rebasing: window.keyNumbers[slot..<end])
        let payloads = UnsafeBufferPointer(rebasing: window.payloads[slot..<end])
        let statuses = UnsafeMutableBufferPointer(rebasing: window.statuses[slot..<end])
        var runStart: UInt64
        var runEnd: UInt64
        switch operation {
        case .read:
          runStart = CycleClock.now()
          worker.read(batch: keys, statuses: statuses)
          runEnd = CycleClock.now()
        case .update:
          runStart = CycleClock.now()
          worker.update(batch: keys, payloads, statuses: statuses)
          runEnd = CycleClock.now()
        case .readModifyWrite:
          runStart = CycleClock.now()
          worker.readModifyWrite(batch: keys, payloads, statuses: statuses)
          runEnd = CycleClock.now()
        case .insert:
          let keyNumber = generator.nextInsertKeyNumber()
          var payload = RecordPayload(
            value: 0, record: UnsafeRawBufferPointer(insertRecord), fieldIndex: -1, fieldLength: fieldLength)
          if compact {
            payload.value = generator.nextRandom()
          } else {
            fillFields(insertRecord, payload: &payload)
          }
          runStart = CycleClock.now()
          let status = worker.insert(keyNumber, payload)
          if let orderedIndex, status == .ok {
            let indexStart = CycleClock.now()
            orderedIndex.insert(keyNumber)
            runEnd = CycleClock.now()
            indexCost.insertCount &+= 1
            indexCost.insertTicks &+= runEnd &- indexStart
          } else {
            runEnd = CycleClock.now()
          }
          generator.acknowledgeInsert(keyNumber)
          statuses[0] = status
        case .scan:
          let keyNumber = window.keyNumbers[slot]
          let length = min(generator.nextScanLength(), scanBuffer.count)
          runStart = CycleClock.now()
          var found = 0
          if let orderedIndex {
            found = orderedIndex.collect(
              from: keyNumber, into: UnsafeMutableBufferPointer(rebasing: scanBuffer[0..<length]))
          }
          let lookupEnd = CycleClock.now()
          statuses[0] = worker.scan(
            from: keyNumber, requestedCount: length,
            keyNumbers: UnsafeBufferPointer(rebasing: scanBuffer[0..<found]))
          runEnd = CycleClock.now()
          indexCost.lookupCount &+= 1
          indexCost.lookupTicks &+= lookupEnd &- runStart
        }
        let runLength = end &- slot
        if firstRun {
          runStart = min(runStart, prefetchStart)
          firstRun = false
        }
        if spinTicks > 0 {
          runEnd = Self.spin(from: runEnd, ticks: spinTicks &* UInt64(runLength))
        }
        if runEnd >= nextFlushTick {
          flush(at: runEnd, nextFlushTick: &nextFlushTick, interval: &interval, total: &total)
        }
        let nanosecondsEach = UInt64(Double(runEnd &- runStart) * nanosecondsPerTick / Double(runLength))
        for status in statuses {
          if status == .error {
            errors &+= 1
            if errors > plan.maximumErrors { stoppedForErrors = true }
          }
          if runStart >= measureStartTick {
            interval.record(
              operation, status, nanoseconds: nanosecondsEach, intendedNanoseconds: nanosecondsEach)
            measured &+= 1
          } else {
            warmupOperations &+= 1
          }
        }
        sinceCompletePending &+= runLength
        if sinceCompletePending >= plan.completePendingInterval {
          worker.completePending(wait: false)
          sinceCompletePending = 0
          if RunInterruption.isRequested { break outer }
        }
        endTick = runEnd
        if runEnd >= deadlineTick || stoppedForErrors { break outer }
        slot = end
      }
    }
    worker.completePending(wait: true)
    endTick = max(endTick, CycleClock.now())
    mailbox.deposit(interval)
    total.add(interval)
    return WorkerOutcome(
      threadIndex: plan.threadIndex, measurements: total, warmupOperations: warmupOperations,
      endTick: endTick, orderedIndexCost: indexCost, failure: nil, stoppedForErrors: stoppedForErrors)
  }
}
