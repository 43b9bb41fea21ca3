// libFuzzer target: reading one record back from the device (HybridLog.readRecord) and
// the store's check of it (RecordLayout.validateDeviceRecord, then the value and key
// reads a pending operation makes), for every record format on disk. Layout of an input:
//
//     byte 0       the format: 0 FixedSizeRecord<UInt64, UInt64>, 1 FixedSizeRecord<UInt64,
//                  Wide> (a value lock word), 2 VariableLengthRecord, 3 FasterLog entries
//     byte 1       the record's offset in its page: 8 * byte
//     the rest     the device's bytes from the record's page (log address 4096) on; a
//                  device shorter than the record gives short transfers
//
// Every outcome must be a record within its page or a typed error; nothing may read past
// the bytes the device transferred.
import FasterFuzzSupport
import FasterStorage

@testable import FasterCore

/// A value wider than a word, so its records carry a RecordValueLock.
struct Wide: Blittable, Equatable {
  var a: UInt64
  var b: UInt64
  var c: UInt64
}

/// The state every input reuses (main.swift's globals would be main-actor isolated).
enum Fixture {
  static let device = MemoryDevice()
  static let pageSizeBytes = 4096
  static let log: HybridLog = {
    do {
      return try HybridLog(
        settings: HybridLogSettings(
          pageSizeBytes: pageSizeBytes, memoryBytes: 4 * pageSizeBytes, hugePages: .off),
        epoch: LightEpoch(capacity: 4), device: device)
    } catch { fatalError("fuzz: cannot open the hybrid log: \(error)") }
  }()
}

/// The result of one read, delivered inline by the memory device.
final class Outcome: @unchecked Sendable {
  // @unchecked Sendable: written by the completion, which runs inline on the reader's thread.
  var result: Result<DeviceRecord, DeviceError>?
}

func fuzzDeviceRecord(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size >= 2 else { return 0 }
  let offset = 8 * Int(data[1])
  var contents = [UInt8](repeating: 0, count: Fixture.pageSizeBytes)
  contents += UnsafeBufferPointer(start: data + 2, count: size - 2)
  Fixture.device.contents = contents
  let address = Address(UInt64(Fixture.pageSizeBytes + offset))
  switch data[0] % 4 {
  case 0: read(address, FixedSizeRecord<UInt64, UInt64>.self, key: UInt64(7))
  case 1: read(address, FixedSizeRecord<UInt64, Wide>.self, key: UInt64(7))
  case 2:
    let key: [UInt8] = Array("key".utf8)
    key.withUnsafeBytes { read(address, VariableLengthRecord.self, key: $0) }
  default: readEntry(address)
  }
  return 0
}

func readRecord<Format: LogRecordFormat>(_ address: Address, _ format: Format.Type) -> DeviceRecord? {
  let outcome = Outcome()
  Fixture.log.readRecord(at: address, format: format) { outcome.result = $0 }
  switch outcome.result {
  case .none: fatalError("the read at \(address.rawValue) never completed")
  case .failure(let error):
    precondition(!error.message.isEmpty)
    return nil
  case .success(let record):
    let end = address.rawValue + UInt64(record.size)
    precondition(
      end <= (address.rawValue / 4096 + 1) * 4096, "a record of \(record.size) bytes past its page")
    precondition(record.offset + record.size <= record.buffer.count, "a record past its read buffer")
    return record
  }
}

func read<Layout: RecordLayout>(_ address: Address, _ layout: Layout.Type, key: Layout.Key) {
  guard let deviceRecord = readRecord(address, layout) else { return }
  defer { deviceRecord.deallocate() }
  // What a pending read does with the record (FasterKV+PendingIO.recordRead).
  guard Layout.validateDeviceRecord(deviceRecord.record, size: deviceRecord.size) == nil else { return }
  _ = Layout.keyMatches(key, record: deviceRecord.record)
  _ = Layout.value(ofDeviceRecord: deviceRecord.record)
  _ = RecordInfo(rawValue: deviceRecord.record.load(as: UInt64.self)).previousAddress
}

func readEntry(_ address: Address) {
  guard let deviceRecord = readRecord(address, LogEntryFormat.self) else { return }
  defer { deviceRecord.deallocate() }
  _ = LogEntryFormat.validate(deviceRecord.record, address: address.rawValue, available: deviceRecord.size)
}

FuzzerDriver.run { data, size in
  guard let data else { return 0 }
  return fuzzDeviceRecord(data, size)
}
