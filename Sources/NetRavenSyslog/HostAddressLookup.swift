#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOPosix

/// Resolves device host names to addresses for `EventSourceResolver.build(devices:relays:lookup:)`.
public enum HostAddressLookup {
    /// The addresses of `host` as text (`192.0.2.1`, `2001:db8::1`), through the system resolver; empty when it
    /// has none. getaddrinfo blocks, so it runs on NIO's thread pool, never on the cooperative pool.
    @Sendable
    public static func addresses(of host: String) async -> [String] {
        (try? await NIOThreadPool.singleton.runIfActive { systemAddresses(of: host) }) ?? []
    }

    private static func systemAddresses(of host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(first) }
        var result: [String] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            let status = getnameinfo(
                current.pointee.ai_addr, current.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0,
                NI_NUMERICHOST)
            if status == 0 {
                let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !result.contains(text) { result.append(text) }
            }
            entry = current.pointee.ai_next
        }
        return result
    }
}
