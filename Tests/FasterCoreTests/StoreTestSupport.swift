import Foundation
import Synchronization

@testable import FasterCore

/// Small options so tests exercise page boundaries, chains and overflow buckets.
func smallOptions(
  indexBytes: Int = 1 << 12, logBytes: Int = 1 << 20, pageBytes: Int = 1 << 12, mutableFraction: Double = 0.9
) -> FasterKVOptions {
  var options = FasterKVOptions()
  options.indexSizeBytes = indexBytes
  options.logMemoryBytes = logBytes
  options.pageSizeBytes = pageBytes
  options.mutableFraction = mutableFraction
  options.hugePages = .off
  options.maxSessions = 16
  options.refreshInterval = 8
  return options
}

/// Makes every record in memory read-only and waits for the shift to become safe, so the
/// next update of any key copies it to the tail.
func makeEverythingReadOnly<Layout>(_ store: FasterKV<Layout>, session: FasterSession<Layout>) {
  store.shiftReadOnlyAddress(to: store.tailAddress)
  store.lightEpoch.drainAll(refreshing: session.epochSlot)
}

/// An RMW that adds `delta` to a UInt64 counter, starting from `delta`.
struct AddUpdate: FixedSizeUpdate {
  let delta: UInt64
  func initialValue() -> UInt64 { delta }
  func updated(_ old: UInt64) -> UInt64 { old &+ delta }
}

/// A 32-byte blittable value: wider than a word, so it uses the record value lock.
struct WideValue: Blittable, Equatable {
  var a: UInt64
  var b: UInt64
  var c: UInt64
  var d: UInt64

  init(_ x: UInt64) {
    a = x
    b = x &* 3
    c = x &* 5
    d = x &* 7
  }

  var isConsistent: Bool { b == a &* 3 && c == a &* 5 && d == a &* 7 }
}

struct AddWideUpdate: FixedSizeUpdate {
  func initialValue() -> WideValue { WideValue(1) }
  func updated(_ old: WideValue) -> WideValue { WideValue(old.a + 1) }
}

/// Byte-value RMW used by the variable-length tests: the value is an 8-byte little-endian
/// counter followed by `count % 4` words of padding, so the length changes as it grows
/// (forcing copy updates and sealed records).
struct CounterBytesUpdate: ByteUpdate {
  static func length(for count: UInt64) -> Int { 8 + Int(count % 4) * 8 }

  func initialLength() -> Int { Self.length(for: 1) }

  func writeInitial(into value: UnsafeMutableRawBufferPointer) {
    Self.write(count: 1, into: value)
  }

  func updateInPlace(_ value: UnsafeMutableRawBufferPointer, length: inout Int) -> Bool {
    let count = value.loadUnaligned(as: UInt64.self) + 1
    let newLength = Self.length(for: count)
    guard newLength <= value.count else { return false }
    Self.write(count: count, into: UnsafeMutableRawBufferPointer(rebasing: value[0..<newLength]))
    length = newLength
    return true
  }

  func copyLength(old: UnsafeRawBufferPointer) -> Int {
    Self.length(for: old.loadUnaligned(as: UInt64.self) + 1)
  }

  func copyUpdate(old: UnsafeRawBufferPointer, into new: UnsafeMutableRawBufferPointer) {
    Self.write(count: old.loadUnaligned(as: UInt64.self) + 1, into: new)
  }

  static func write(count: UInt64, into value: UnsafeMutableRawBufferPointer) {
    value.storeBytes(of: count, as: UInt64.self)
    var offset = 8
    while offset < value.count {
      value.storeBytes(of: count ^ 0xA5A5_A5A5_A5A5_A5A5, toByteOffset: offset, as: UInt64.self)
      offset += 8
    }
  }

  /// The counter in `value`, or nil if the bytes are not a consistent counter value.
  static func decode(_ value: UnsafeRawBufferPointer) -> UInt64? {
    guard value.count >= 8 else { return nil }
    let count = value.loadUnaligned(as: UInt64.self)
    guard value.count == length(for: count) else { return nil }
    var offset = 8
    while offset < value.count {
      if value.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != count ^ 0xA5A5_A5A5_A5A5_A5A5 {
        return nil
      }
      offset += 8
    }
    return count
  }
}

/// A variable-length test value: an 8-byte id repeated over a length derived from it,
/// so a torn or mixed read is detectable.
enum TestBytes {
  static func length(for id: UInt64) -> Int { 8 * (1 + Int(id % 7)) }

  static func make(_ id: UInt64) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: length(for: id))
    bytes.withUnsafeMutableBytes { buffer in
      for offset in stride(from: 0, to: buffer.count, by: 8) {
        buffer.storeBytes(of: id, toByteOffset: offset, as: UInt64.self)
      }
    }
    return bytes
  }

  static func decode(_ value: UnsafeRawBufferPointer) -> UInt64? {
    guard value.count >= 8 else { return nil }
    let id = value.loadUnaligned(as: UInt64.self)
    guard value.count == length(for: id) else { return nil }
    for offset in stride(from: 0, to: value.count, by: 8)
    where value.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != id {
      return nil
    }
    return id
  }

  static func key(_ number: Int) -> [UInt8] { Array("key-\(number)".utf8) }
}
