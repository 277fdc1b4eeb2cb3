extension NodeReader {
    /// A secret reference (literal, `env:NAME`, `file:/path`) resolved; a failure is reported here, without the value.
    func secret(environment: [String: String]) -> Secret? {
        guard let text = string() else { return nil }
        do {
            return try SecretReference(parsing: text).resolve(environment: environment)
        } catch {
            self.error("\(error)")
            return nil
        }
    }
}
