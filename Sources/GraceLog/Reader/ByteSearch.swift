#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Substring and byte search over raw memory, through the C library where it has a fast one.
enum ByteSearch {
    #if canImport(Glibc)
    typealias MemmemFunction = @convention(c) (UnsafeRawPointer?, Int, UnsafeRawPointer?, Int) -> UnsafeMutableRawPointer?
    /// glibc's `memmem` (a GNU extension the Swift Glibc module does not import).
    static let libcMemmem: MemmemFunction? = dlsym(nil, "memmem").map { unsafeBitCast($0, to: MemmemFunction.self) }
    #endif

    /// The offset of the first occurrence of `needle` in `haystack[from..<count]`, or -1.
    @inline(__always)
    static func find(_ needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafePointer<UInt8>, from: Int, count: Int) -> Int {
        let length = count - from
        guard needle.count > 0 else { return from }
        guard length >= needle.count else { return -1 }
        #if canImport(Glibc)
        if let libcMemmem {
            guard let hit = libcMemmem(haystack + from, length, needle.baseAddress, needle.count) else { return -1 }
            return UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) - haystack
        }
        #elseif canImport(Darwin)
        guard let hit = memmem(haystack + from, length, needle.baseAddress, needle.count) else { return -1 }
        return UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) - haystack
        #endif
        return naiveFind(needle, in: haystack, from: from, count: count)
    }

    static func naiveFind(_ needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafePointer<UInt8>, from: Int, count: Int) -> Int {
        let first = needle[0]
        var i = from
        let last = count - needle.count
        while i <= last {
            let position = index(of: first, in: haystack, from: i, count: last + 1)
            if position < 0 { return -1 }
            if memcmp(haystack + position, needle.baseAddress!, needle.count) == 0 { return position }
            i = position + 1
        }
        return -1
    }

    /// The offset of the first `byte` in `haystack[from..<count]`, or -1.
    @inline(__always)
    static func index(of byte: UInt8, in haystack: UnsafePointer<UInt8>, from: Int, count: Int) -> Int {
        guard from < count, let hit = memchr(haystack + from, Int32(byte), count - from) else { return -1 }
        return UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) - haystack
    }

    /// The offset of the last `byte` in `haystack[from..<end]`, or -1.
    @inline(__always)
    static func lastIndex(of byte: UInt8, in haystack: UnsafePointer<UInt8>, from: Int, end: Int) -> Int {
        var i = end - 1
        while i >= from {
            if haystack[i] == byte { return i }
            i -= 1
        }
        return -1
    }

    /// How many `\n` bytes `haystack[0..<count]` holds (eight bytes at a time).
    static func countNewlines(_ haystack: UnsafePointer<UInt8>, count: Int) -> Int {
        let raw = UnsafeRawPointer(haystack)
        let newlines: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        @inline(__always) func zeroBytes(_ word: UInt64) -> Int {
            let x = word ^ newlines
            // High bit set exactly in the bytes of x that are zero.
            return (~(((x & low7) &+ low7) | x | low7)).nonzeroBitCount
        }
        var total = 0
        var i = 0
        while i + 32 <= count {
            total += zeroBytes(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                + zeroBytes(raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self))
                + zeroBytes(raw.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self))
                + zeroBytes(raw.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self))
            i += 32
        }
        while i < count {
            if haystack[i] == 0x0A { total += 1 }
            i += 1
        }
        return total
    }
}
