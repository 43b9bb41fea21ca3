/// One read or write on its way through a device: what to transfer, how far it got, whom to tell.
///
/// Thread safety: the immutable fields may be read from any thread; `bytesDone` and `retryCount` are
/// owned by the device that runs the request (guarded by its lock, or touched by one I/O thread).
final class IORequest: @unchecked Sendable {
  // @unchecked Sendable: the two mutable fields are owned as described above.
  let kind: IOKind
  /// The caller's buffer; nil only for requests that carry `presetError`.
  let buffer: UnsafeMutableRawPointer?
  let length: Int
  let deviceOffset: UInt64
  /// The segment file holding the range (kept alive until the request finishes), or nil with
  /// `presetError`.
  let file: SegmentFile?
  let fileOffset: UInt64
  let completion: IOCompletion
  /// A failure found at submission (misalignment, a missing segment, a closed device) that must
  /// still be delivered on a device thread.
  let presetError: DeviceError?
  /// Bytes already transferred; a short transfer is resubmitted for `length - bytesDone`.
  var bytesDone = 0
  /// EINTR/EAGAIN resubmissions so far (bounded).
  var retryCount = 0

  /// The most EINTR/EAGAIN resubmissions before the I/O fails with the errno.
  static let retryLimit = 1000

  init(
    kind: IOKind, buffer: UnsafeMutableRawPointer?, length: Int, deviceOffset: UInt64,
    file: SegmentFile?, fileOffset: UInt64, presetError: DeviceError?, completion: @escaping IOCompletion
  ) {
    precondition(presetError != nil || (buffer != nil && file != nil))
    self.kind = kind
    self.buffer = buffer
    self.length = length
    self.deviceOffset = deviceOffset
    self.file = file
    self.fileOffset = fileOffset
    self.presetError = presetError
    self.completion = completion
  }

  /// Validates the I/O against `files` and resolves its segment; a failure becomes `presetError`.
  static func make(
    _ kind: IOKind, buffer: UnsafeMutableRawPointer?, length: Int, offset: UInt64, files: SegmentedFiles,
    completion: @escaping IOCompletion
  ) -> IORequest {
    if let invalid = files.validationError(address: buffer, length: length, offset: offset, kind) {
      return IORequest(
        kind: kind, buffer: nil, length: length, deviceOffset: offset, file: nil, fileOffset: 0,
        presetError: invalid, completion: completion)
    }
    do {
      let (file, fileOffset) = try files.segment(for: kind, at: offset)
      return IORequest(
        kind: kind, buffer: buffer, length: length, deviceOffset: offset, file: file, fileOffset: fileOffset,
        presetError: nil, completion: completion)
    } catch {
      return IORequest(
        kind: kind, buffer: nil, length: length, deviceOffset: offset, file: nil, fileOffset: 0,
        presetError: error, completion: completion)
    }
  }
}
