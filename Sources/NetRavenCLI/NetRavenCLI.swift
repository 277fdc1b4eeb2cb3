// NetRavenCLI: filled in by the first commits that use it.
