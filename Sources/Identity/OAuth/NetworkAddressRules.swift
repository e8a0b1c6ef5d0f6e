import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Which network addresses the server may fetch from on a client's behalf: public unicast only, so
/// a `client_id` URL cannot point the server at itself, its network or cloud metadata endpoints.
enum NetworkAddressRules {
    static func lookup(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [String] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(info.pointee.ai_addr, info.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                addresses.append(String(cString: buffer))
            }
            cursor = info.pointee.ai_next
        }
        return addresses
    }

    static func isLoopback(_ address: String) -> Bool {
        if let v4 = self.ipv4(address) { return v4[0] == 127 }
        return address == "::1"
    }

    /// Public unicast: not loopback, private (RFC 1918, ULA), link-local, CGNAT, multicast, reserved,
    /// documentation or benchmarking ranges, and no IPv4-mapped form of those.
    static func isPublic(_ address: String) -> Bool {
        if let v4 = self.ipv4(address) { return self.isPublicIPv4(v4) }
        let lower = address.lowercased()
        if lower.hasPrefix("::ffff:"), let v4 = self.ipv4(String(lower.dropFirst(7))) { return self.isPublicIPv4(v4) }
        guard let first = lower.split(separator: ":", omittingEmptySubsequences: false).first, let word = UInt16(first, radix: 16) else {
            return false
        }
        if lower == "::" || lower == "::1" || lower.hasPrefix("::") { return false }
        if word & 0xfe00 == 0xfc00 { return false }  // fc00::/7 unique local
        if word & 0xffc0 == 0xfe80 { return false }  // fe80::/10 link-local
        if word & 0xff00 == 0xff00 { return false }  // multicast
        if word == 0x2001 && lower.hasPrefix("2001:db8:") { return false }  // documentation
        return word & 0xe000 == 0x2000  // 2000::/3 global unicast
    }

    static func isPublicIPv4(_ a: [UInt8]) -> Bool {
        switch (a[0], a[1]) {
        case (0, _), (10, _), (127, _), (169, 254), (192, 168), (255, _): return false
        case (172, 16...31), (100, 64...127), (198, 18...19): return false
        case (192, 0) where a[2] == 0 || a[2] == 2: return false
        case (198, 51) where a[2] == 100, (203, 0) where a[2] == 113: return false
        case (224...255, _): return false
        default: return true
        }
    }

    static func ipv4(_ address: String) -> [UInt8]? {
        let parts = address.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        let bytes = parts.compactMap { UInt8($0) }
        return bytes.count == 4 ? bytes : nil
    }
}
