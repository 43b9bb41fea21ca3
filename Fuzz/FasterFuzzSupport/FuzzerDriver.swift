import CFuzzerDriver

#if canImport(Glibc)
  import Glibc
#endif

/// Runs libFuzzer with this process's arguments on `body`, one input at a time, and exits
/// with its status. Every fuzz target's main.swift ends with this call.
public enum FuzzerDriver {
  /// The function libFuzzer calls with each input (`data` is nil only for an empty input).
  public typealias Body = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

  public static func run(_ body: Body) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, body))
  }

  /// `data` as a raw buffer; an empty input has no base address.
  public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
  }
}
