#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one table of `errno` names the library prints, shared by the platform and storage
/// errors.
public enum ErrorNumber {
  /// `"ENOSPC (No space left on device)"` style text for an `errno` value; an unnamed
  /// value prints as `"errno 123 (...)"`.
  public static func describe(_ errorNumber: Int32) -> String {
    let name = names[errorNumber] ?? "errno \(errorNumber)"
    guard let text = strerror(errorNumber) else { return name }
    return "\(name) (\(String(cString: text)))"
  }

  private static let names: [Int32: String] = [
    EPERM: "EPERM", ENOENT: "ENOENT", ESRCH: "ESRCH", EINTR: "EINTR", EIO: "EIO", EBADF: "EBADF",
    EAGAIN: "EAGAIN", ENOMEM: "ENOMEM", EACCES: "EACCES", EFAULT: "EFAULT", EBUSY: "EBUSY",
    EEXIST: "EEXIST", ENOTDIR: "ENOTDIR", EISDIR: "EISDIR", EINVAL: "EINVAL", ENFILE: "ENFILE",
    EMFILE: "EMFILE", EFBIG: "EFBIG", ENOSPC: "ENOSPC", EROFS: "EROFS", ENOSYS: "ENOSYS",
    EOVERFLOW: "EOVERFLOW", EDQUOT: "EDQUOT", EOPNOTSUPP: "EOPNOTSUPP",
  ]
}
