public import NetRavenLab

/// Starts `lab`, runs `body` with its endpoints, and shuts the lab down whether `body` throws or not.
public func withStartedLab<T>(_ lab: Lab, _ body: (LabEndpoints) async throws -> T) async throws -> T {
    let endpoints = try await lab.start()  // a failed start shuts the lab down itself
    do {
        let result = try await body(endpoints)
        try await lab.shutdown()
        return result
    } catch {
        try? await lab.shutdown()
        throw error
    }
}
