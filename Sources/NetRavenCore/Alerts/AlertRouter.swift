/// Decides where an alert goes: the routes in order, each matching one adding its destinations, until one that
/// matches says `continue: false`.
public struct AlertRouter: Sendable {
    public var routes: [AlertRoute]

    public init(routes: [AlertRoute]) {
        self.routes = routes
    }

    /// The destination names for `alert`, in route order, each once; empty when no route takes it.
    public func destinations(for alert: Alert) -> [String] {
        var names: [String] = []
        for route in routes where route.matches(alert) {
            for name in route.destinations where !names.contains(name) { names.append(name) }
            if !route.continueMatching { break }
        }
        return names
    }
}
