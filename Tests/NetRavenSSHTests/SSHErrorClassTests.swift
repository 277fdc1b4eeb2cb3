import NetRavenCore
import Testing

@testable import NetRavenSSH

@Suite struct SSHErrorClassTests {
    @Test func sshFailuresMapToCaptureClasses() {
        let cases: [(SSHError.Code, CaptureError.Code)] = [
            (.unreachable, .unreachable), (.timeout, .timeout), (.authenticationFailed, .authenticationFailed),
            (.hostKeyChanged, .hostKeyChanged), (.hostKeyUnknown, .hostKeyUnknown), (.connectionLost, .connectionLost),
            (.channelFailed, .connectionLost), (.invalidTarget, .configuration),
        ]
        for (ssh, capture) in cases {
            #expect(SSHError(ssh, "m").captureError.code == capture, "\(ssh)")
        }
        // Only what the network may fix is retried.
        #expect(!SSHError(.authenticationFailed, "m").captureError.code.isTransient)
        #expect(!SSHError(.hostKeyChanged, "m").captureError.code.isTransient)
    }
}
