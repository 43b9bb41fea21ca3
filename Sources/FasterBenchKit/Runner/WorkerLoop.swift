import FasterPlatform
import YCSB

/// The per-thread operation loop: choose an operation and its key with the thread's generator,
/// prepare its data, time it with the cycle clock, record it. Generic over the worker so every
/// call is direct; no allocation, no existential and no closure per operation.
///
/// Timing: each operation is timed from just before the binding call to just after it (key
/// choice and field bytes are prepared before the first clock read, as YCSB's DB wrapper times
/// only the database call). Under throttling, operation `i` of the thread is scheduled at
/// `start + i * ticksPerOperation`; the intended latency runs from that instant (YCSB's
/// coordinated-omission correction).
///
/// Status intervals: when an operation ends past the next interval boundary, the thread first
/// deposits its interval measurements in its mailbox, so each operation is counted in the
/// interval in which it ended.
struct WorkerLoop<Worker: BindingWorker> {
  var worker: Worker
  var generator: ThreadGenerator
  let plan: WorkerPlan
  let shape: RecordShape
  let orderedIndex: OrderedKeyIndex?
  let mailbox: IntervalMailbox
  let clock: CycleClock
  /// Operations drawn before the phase (`pregenerate`), or nil to draw each as it runs.
  let operationStream: UnsafeBufferPointer<UInt64>?
  var streamCursor = 0

  init(
    worker: Worker, generator: ThreadGenerator, plan: WorkerPlan, shape: RecordShape,
    orderedIndex: OrderedKeyIndex?, mailbox: IntervalMailbox, clock: CycleClock,
    operationStream: UnsafeBufferPointer<UInt64>? = nil
  ) {
    self.worker = worker
    self.generator = generator
    self.plan = plan
    self.shape = shape
    self.orderedIndex = orderedIndex
    self.mailbox = mailbox
    self.clock = clock
    self.operationStream = operationStream
  }

  /// Runs the phase from `startTick` and returns the thread's measurements. `close()` is left to
  /// the caller.
  mutating func run(startTick: UInt64) -> WorkerOutcome {
    if plan.batchSize > 1 && plan.phase == .run { return runBatched(startTick: startTick) }
    let recordBuffer = UnsafeMutableRawBufferPointer.allocate(
      byteCount: max(8, shape.valueBytes), alignment: 8)
    recordBuffer.initializeMemory(as: UInt8.self, repeating: 0)
    let scanBuffer = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: max(1, plan.maximumScanLength))
    defer {
      recordBuffer.deallocate()
      scanBuffer.deallocate()
    }
    let compact = shape.mode == .compact
    let fieldLength = shape.fieldLength
    let fieldCount = shape.fieldCount
    let isLoad = plan.phase == .load
    let throttled = plan.ticksPerOperation > 0
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
    var scheduled: UInt64 = 0
    var sinceCompletePending = 0
    var loadKey = plan.loadKeyStart
    var endTick = startTick
    // `measurement.sampling`: one operation in `sampling` is timed; the others reuse the last
    // clock reading (`endTick`), so no clock read sits between their memory accesses.
    let sampling = throttled ? 1 : plan.latencySampling
    var untilSample = 1
    var errors = 0
    var stoppedForErrors = false
    let spinTicks = plan.spinTicksPerOperation

    while measured < plan.operationQuota {
      var intendedTick: UInt64 = 0
      if throttled {
        intendedTick = startTick &+ UInt64(Double(scheduled) * plan.ticksPerOperation)
        scheduled &+= 1
        waitUntil(intendedTick, nextFlushTick: &nextFlushTick, interval: &interval, total: &total)
        if RunInterruption.isRequested { break }
      }
      // The operation and (except for inserts) its key: drawn now, or taken from the stream
      // drawn before the phase started (`pregenerate`), cycling through it.
      let operation: Operation
      var chosenKey: UInt64 = 0
      if isLoad {
        operation = .insert
      } else if let stream = operationStream {
        let entry = stream[streamCursor]
        streamCursor &+= 1
        if streamCursor == stream.count { streamCursor = 0 }
        operation = OperationStream.operation(of: entry)
        chosenKey = OperationStream.keyNumber(of: entry)
      } else {
        operation = generator.nextOperation()
        if operation != .insert { chosenKey = generator.nextKeyNumber() }
      }
      var timed = true
      if sampling > 1 {
        untilSample &-= 1
        timed = untilSample == 0
        if timed { untilSample = sampling }
      }
      let status: BindingStatus
      let operationStart: UInt64
      var operationEnd: UInt64
      switch operation {
      case .read:
        let keyNumber = chosenKey
        operationStart = timed ? CycleClock.now() : endTick
        status = worker.read(keyNumber)
        operationEnd = timed ? CycleClock.now() : endTick

      case .update, .readModifyWrite:
        let keyNumber = chosenKey
        var payload = RecordPayload(
          value: 0, record: UnsafeRawBufferPointer(recordBuffer), fieldIndex: -1, fieldLength: fieldLength)
        if compact {
          payload.value = generator.nextRandom()
        } else {
          if !plan.writeAllFields {
            payload.fieldIndex = generator.nextFieldIndex()
            assert(payload.fieldIndex >= 0 && payload.fieldIndex < fieldCount, "field index out of range")
          }
          fillFields(recordBuffer, payload: &payload)
        }
        operationStart = timed ? CycleClock.now() : endTick
        status =
          operation == .update
          ? worker.update(keyNumber, payload) : worker.readModifyWrite(keyNumber, payload)
        operationEnd = timed ? CycleClock.now() : endTick

      case .insert:
        let keyNumber: UInt64
        if isLoad {
          keyNumber = loadKey
          loadKey &+= 1
        } else {
          keyNumber = generator.nextInsertKeyNumber()
        }
        var payload = RecordPayload(
          value: 0, record: UnsafeRawBufferPointer(recordBuffer), fieldIndex: -1, fieldLength: fieldLength)
        if compact {
          payload.value = generator.nextRandom()
        } else {
          fillFields(recordBuffer, payload: &payload)
        }
        if orderedIndex != nil { timed = true }  // the index's cost is timed below
        operationStart = timed ? CycleClock.now() : endTick
        status = worker.insert(keyNumber, payload)
        if let orderedIndex, status == .ok {
          let indexStart = CycleClock.now()
          orderedIndex.insert(keyNumber)
          operationEnd = CycleClock.now()
          indexCost.insertCount &+= 1
          indexCost.insertTicks &+= operationEnd &- indexStart
        } else {
          operationEnd = timed ? CycleClock.now() : endTick
        }
        if !isLoad { generator.acknowledgeInsert(keyNumber) }

      case .scan:
        let keyNumber = chosenKey
        let length = min(generator.nextScanLength(), scanBuffer.count)
        timed = true  // scans are long; their look-up cost is timed too
        operationStart = CycleClock.now()
        var found = 0
        if let orderedIndex {
          found = orderedIndex.collect(
            from: keyNumber, into: UnsafeMutableBufferPointer(rebasing: scanBuffer[0..<length]))
        }
        let lookupEnd = CycleClock.now()
        status = worker.scan(
          from: keyNumber, requestedCount: length,
          keyNumbers: UnsafeBufferPointer(rebasing: scanBuffer[0..<found]))
        operationEnd = CycleClock.now()
        indexCost.lookupCount &+= 1
        indexCost.lookupTicks &+= lookupEnd &- operationStart
      }

      if spinTicks > 0 {
        // The injected slowdown: the operation's time, as if the engine did more work.
        operationEnd = Self.spin(from: operationEnd, ticks: spinTicks)
      }
      if status == .error {
        errors &+= 1
        if errors > plan.maximumErrors { stoppedForErrors = true }
      }
      if operationEnd >= nextFlushTick {
        flush(at: operationEnd, nextFlushTick: &nextFlushTick, interval: &interval, total: &total)
      }
      if operationStart >= measureStartTick && !timed {
        interval.recordUntimed(operation, status)
        measured &+= 1
      } else if operationStart >= measureStartTick {
        let nanoseconds = UInt64(Double(operationEnd &- operationStart) * nanosecondsPerTick)
        let intendedNanoseconds =
          throttled && operationEnd > intendedTick
          ? UInt64(Double(operationEnd &- intendedTick) * nanosecondsPerTick) : nanoseconds
        interval.record(operation, status, nanoseconds: nanoseconds, intendedNanoseconds: intendedNanoseconds)
        measured &+= 1
      } else {
        warmupOperations &+= 1
      }
      sinceCompletePending &+= 1
      if sinceCompletePending == plan.completePendingInterval {
        worker.completePending(wait: false)
        sinceCompletePending = 0
        // A signal asked the run to stop (looked at here, not per operation).
        if RunInterruption.isRequested { break }
      }
      endTick = operationEnd
      if operationEnd >= deadlineTick || stoppedForErrors { break }
    }
    worker.completePending(wait: true)
    endTick = max(endTick, CycleClock.now())
    mailbox.deposit(interval)
    total.add(interval)
    return WorkerOutcome(
      threadIndex: plan.threadIndex, measurements: total, warmupOperations: warmupOperations,
      endTick: endTick,
      orderedIndexCost: indexCost, failure: nil, stoppedForErrors: stoppedForErrors)
  }

  /// Spins until `ticks` after `start` and returns the clock then.
  @inline(never)
  static func spin(from start: UInt64, ticks: UInt64) -> UInt64 {
    var now = CycleClock.now()
    let end = max(start, now) &+ ticks
    while now < end { now = CycleClock.now() }
    return now
  }

  /// Fills the fields `payload` writes with fresh bytes from the generator and records their seed.
  @inline(__always)
  mutating func fillFields(_ record: UnsafeMutableRawBufferPointer, payload: inout RecordPayload) {
    let seed = generator.nextRandom()
    payload.fieldSeed = seed
    if payload.fieldIndex < 0 {
      FieldFiller.fill(record, seed: seed)
    } else {
      let offset = payload.fieldIndex &* payload.fieldLength
      FieldFiller.fill(
        UnsafeMutableRawBufferPointer(rebasing: record[offset..<(offset &+ payload.fieldLength)]), seed: seed)
    }
  }

  /// Deposits the interval's measurements and moves the boundary past `tick`.
  func flush(
    at tick: UInt64, nextFlushTick: inout UInt64, interval: inout OperationMeasurements,
    total: inout OperationMeasurements
  ) {
    mailbox.deposit(interval)
    total.add(interval)
    interval.reset()
    while nextFlushTick <= tick { nextFlushTick &+= plan.statusIntervalTicks }
  }

  /// Throttling: waits for the scheduled instant, sleeping while far from it and spinning for the
  /// last stretch; deposits interval measurements at boundaries passed while waiting.
  private func waitUntil(
    _ tick: UInt64, nextFlushTick: inout UInt64, interval: inout OperationMeasurements,
    total: inout OperationMeasurements
  ) {
    let spinTicks = UInt64(100_000 * clock.ticksPerNanosecond)  // the last 100 us are spun
    while true {
      let now = CycleClock.now()
      if now >= nextFlushTick {
        flush(at: now, nextFlushTick: &nextFlushTick, interval: &interval, total: &total)
      }
      if now >= tick || RunInterruption.isRequested { return }
      let remaining = tick &- now
      if remaining > spinTicks {
        let untilFlush = nextFlushTick > now ? nextFlushTick &- now : 0
        let sleepTicks = min(remaining &- spinTicks, max(untilFlush, 1))
        Sleep.nanoseconds(UInt64(Double(sleepTicks) * clock.nanosecondsPerTick))
      }
    }
  }
}
