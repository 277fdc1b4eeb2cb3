extension ConfigurationLoader {
    /// Reads `archive.remote.ca_file`: a readable PEM file, and only for an https remote (ssh remotes are checked
    /// by host key, file remotes not at all), so a misplaced key is reported instead of silently ignored.
    func readCAFile(_ node: NodeReader?, url: String, resolve: (String) -> String) -> String? {
        guard let node, !node.isNull else { return nil }
        guard url.lowercased().hasPrefix("https://") else {
            node.error("ca_file applies only to https:// remotes (ssh remotes use host_key)")
            return nil
        }
        return readableFile(node, resolve: resolve)
    }
}
