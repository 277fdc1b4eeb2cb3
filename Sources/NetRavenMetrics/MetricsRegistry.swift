import Metrics
public import Prometheus
import Synchronization

/// The process's Prometheus registry and NetRaven's metrics in it; `exposition()` is what `GET /metrics` serves.
///
/// `shared` creates the registry once per process and bootstraps swift-metrics with it, so libraries that record
/// through swift-metrics (`Counter(label:)`, `Timer(label:)`) land in the same exposition. NetRaven's own metrics are
/// made here, with help text, through ``MetricsCatalog``; values kept elsewhere as snapshots (listener counters) are
/// pulled in by collectors that run before each exposition.
public final class MetricsRegistry: Sendable {
    /// The one registry of this process; swift-metrics is bootstrapped with it on first use.
    public static let shared: MetricsRegistry = {
        let registry = MetricsRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry.prometheus))
        return registry
    }()

    /// The underlying registry (for metrics other modules define themselves).
    public let prometheus: PrometheusCollectorRegistry
    /// NetRaven's metrics, by meaning.
    public let catalog: MetricsCatalog
    private let collectors = Mutex<[Int: @Sendable () -> Void]>([:])
    private let nextCollectorID = Atomic<Int>(0)
    /// Serializes expositions, so two scrapes at once never apply a collector's delta twice.
    private let expositionLock = Mutex(())

    /// A registry of its own, not bootstrapped into swift-metrics (tests; the daemon uses `shared`).
    public init() {
        prometheus = PrometheusCollectorRegistry()
        catalog = MetricsCatalog(registry: prometheus)
    }

    /// Registers `collect` to run before every exposition (it copies snapshot counters and gauges into the
    /// registry). Returns a token for ``removeCollector(_:)``.
    @discardableResult
    public func addCollector(_ collect: @escaping @Sendable () -> Void) -> Int {
        let id = nextCollectorID.add(1, ordering: .relaxed).newValue
        collectors.withLock { $0[id] = collect }
        return id
    }

    /// Stops running the collector `token` (its component stopped); what it already counted stays.
    public func removeCollector(_ token: Int) {
        _ = collectors.withLock { $0.removeValue(forKey: token) }
    }

    /// The Prometheus text exposition (format 0.0.4) of every metric, after running the collectors.
    public func exposition() -> String {
        expositionLock.withLock { _ in
            let pending = collectors.withLock { entries in entries.sorted { $0.key < $1.key }.map(\.value) }
            for collect in pending { collect() }
            return prometheus.emitToString()
        }
    }
}
