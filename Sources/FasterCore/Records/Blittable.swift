/// A fixed-size type whose bytes are its whole value, safe to write into a log record,
/// to disk, and read back in another process.
///
/// Conform only types that hold no pointers or references (not even unsafe pointers:
/// an address means nothing on disk or after restart) and have no padding bytes (a
/// record's identity is its bytes: keys are hashed and compared byte-wise). Alignment
/// must be at most 8. `BitwiseCopyable` makes the compiler reject classes, strings,
/// arrays and anything else with a reference inside.
///
/// For strings, byte arrays and other variable-length data use a `VariableLengthStore`,
/// which serializes the bytes into the record.
public protocol Blittable: BitwiseCopyable, Sendable {}

extension UInt64: Blittable {}
extension Int64: Blittable {}
extension UInt32: Blittable {}
extension Int32: Blittable {}
extension UInt16: Blittable {}
extension Int16: Blittable {}
extension UInt8: Blittable {}
extension Int8: Blittable {}
extension UInt: Blittable {}
extension Int: Blittable {}
extension Double: Blittable {}
extension Float: Blittable {}
