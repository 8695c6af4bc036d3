#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A growable byte buffer with unchecked appends. The formatting hot path writes every line
/// through one of these: unlike `[UInt8]` there is no uniqueness check, bounds check or
/// reference counting per append.
struct ByteBuffer: ~Copyable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private(set) var capacity: Int

    init(capacity: Int = 256) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deallocate()
    }

    var isEmpty: Bool { count == 0 }

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// The contents decoded as UTF-8 (for tests and error messages).
    var string: String { String(decoding: bytes, as: UTF8.self) }

    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    @inline(never)
    private mutating func grow(to needed: Int) {
        let newCapacity = max(needed, capacity * 2)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        memcpy(base + count, source, bytes.count)
        count += bytes.count
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        append(bytes.assumingMemoryBound(to: UInt8.self))
    }

    mutating func append(contentsOf bytes: some Collection<UInt8>) {
        if bytes.withContiguousStorageIfAvailable({ append($0) }) == nil {
            reserve(bytes.count)
            for byte in bytes { append(byte) }
        }
    }

    @inline(__always)
    mutating func append(static string: StaticString) {
        string.withUTF8Buffer { append($0) }
    }

    @inline(__always)
    mutating func append(utf8 string: String) {
        if string.utf8.withContiguousStorageIfAvailable({ append($0) }) == nil {
            var copy = string
            copy.withUTF8 { append($0) }
        }
    }

    /// Writes `value` as exactly `width` decimal digits (the low ones), zero-padded.
    mutating func appendDigits(_ value: Int, width: Int) {
        reserve(width)
        var rest = value
        var index = count + width - 1
        while index >= count {
            base[index] = UInt8(truncatingIfNeeded: 48 + rest % 10)
            rest /= 10
            index -= 1
        }
        count += width
    }

    @inline(__always)
    mutating func appendTwoDigits(_ value: Int) {
        reserve(2)
        base[count] = UInt8(truncatingIfNeeded: 48 + value / 10)
        base[count + 1] = UInt8(truncatingIfNeeded: 48 + value % 10)
        count += 2
    }

    mutating func removeAll() {
        count = 0
    }

    /// Drops the first `n` bytes, keeping the rest.
    mutating func removeFirst(_ n: Int) {
        precondition(n >= 0 && n <= count)
        memmove(base, base + n, count - n)
        count -= n
    }

    var last: UInt8? { count > 0 ? base[count - 1] : nil }
}
