import NetRavenTestSupport

/// The repository's `rules/` directory.
let repositoryRules = PackagePaths.rules
