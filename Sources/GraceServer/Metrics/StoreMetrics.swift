import Foundation
import GraceCore
import GraceStore
import Prometheus
import Synchronization

/// The store's events as Prometheus families, refreshed at each scrape from one ``StoreCensus``
/// and the learning counters: boots by status and the last boot's duration, healing decisions by
/// pattern, playbook, decision and outcome, fix attempts and successes, and the supervised
/// service's exits, crash loops and restarts.
///
/// Read from the store rather than counted in this process, so a boot run by `grace boot` in
/// another process, or a fix on another node sharing PostgreSQL, is counted too: every node
/// reports the same store-wide figures (aggregate them with `max`, not `sum`). Families of what
/// retention prunes (runs, playbook runs) are gauges; counts that only grow (the learning
/// counters, the audit chain, this supervisor's restarts) are counters.
final class StoreMetrics: Sendable {
    private let registry: PrometheusCollectorRegistry
    /// Each counter's last value, to add only the difference; and each gauge family's label sets,
    /// so one that disappears (its records pruned) drops to 0 instead of keeping its old value.
    private let state = Mutex(State())

    private struct State {
        var counters: [CounterKey: (counter: Counter, value: Int)] = [:]
        var gaugeLabels: [String: Set<Labels>] = [:]
    }

    /// One series' label names and values, in order (tuples cannot be dictionary keys).
    private struct Labels: Hashable, Sendable {
        var names: [String] = []
        var values: [String] = []

        init(_ pairs: (String, String)...) {
            names = pairs.map(\.0)
            values = pairs.map(\.1)
        }

        var pairs: [(String, String)] { Array(zip(names, values)) }
    }

    private struct CounterKey: Hashable, Sendable {
        var name: String
        var labels: Labels
    }

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    private static func descriptor(_ name: String, unit: String = "", _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "grace", metricName: name, unitName: unit, helpText: help)
    }

    func update(census: StoreCensus, stats: [PlaybookStats], targetRestarts: Int?) {
        state.withLock { state in
            var boots: [Labels: Double] = [:]
            for status in AgentRun.Status.allCases { boots[Labels(("status", status.rawValue))] = Double(census.bootsByStatus[status] ?? 0) }
            setGauges(Self.descriptor("boot_runs", "Boot runs in the store (what retention keeps), by status."), boots, in: &state)

            var lastStatus: [Labels: Double] = [:]
            for status in AgentRun.Status.allCases where status.isFinal {
                lastStatus[Labels(("status", status.rawValue))] = census.lastBoot?.status == status ? 1 : 0
            }
            setGauges(Self.descriptor("last_boot_status", "1 for the status of the ended boot that started last, 0 for the others."),
                      lastStatus, in: &state)
            if let boot = census.lastBoot, let duration = RunPayload.durationMS(of: boot),
               let end = boot.endedAt.flatMap(Timestamp.nanosecondsSinceEpoch(from:)) {
                registry.makeGauge(descriptor: Self.descriptor("last_boot_duration", unit: "seconds",
                                                               "From start to end of the ended boot that started last.")).set(to: duration / 1000)
                registry.makeGauge(descriptor: Self.descriptor("last_boot_end_time", unit: "seconds",
                                                               "When the ended boot that started last ended, in Unix seconds.")).set(to: Double(end) / 1e9)
            }

            var decisions: [Labels: Double] = [:]
            for row in census.decisions {
                let labels = Labels(("pattern", row.patternID ?? ""), ("playbook", row.playbookID), ("decision", row.decision), ("status", row.status.rawValue))
                decisions[labels, default: 0] += Double(row.count)
            }
            setGauges(Self.descriptor("healing_decisions", """
                Healing decisions in the store (what retention keeps): one per failure a playbook was considered for, by pattern, \
                playbook, governance decision (execute, await_approval, ...) and outcome (decision execute: succeeded, failed, \
                rolled_back ...; otherwise observed).
                """), decisions, in: &state)

            for stat in stats {
                let labels = Labels(("pattern", stat.patternID), ("playbook", stat.playbookID))
                mirror(Self.descriptor("fix_attempts", unit: "total", "Fixes executed and verified, by pattern and playbook (the learning counters)."),
                       labels, stat.attempts, in: &state)
                mirror(Self.descriptor("fix_successes", unit: "total", "Fixes whose verification passed, by pattern and playbook (the learning counters)."),
                       labels, stat.successes, in: &state)
            }

            let exits = census.targetEvents["target.exit"] ?? [:]
            for result in Set(exits.keys).union(["crashed", "stopped"]) {
                mirror(Self.descriptor("target_exits", unit: "total",
                                       "Exits of the supervised service in the audit chain, by result (crashed: unexpected; stopped: asked to)."),
                       Labels(("result", result)), exits[result] ?? 0, in: &state)
            }
            mirror(Self.descriptor("target_crash_loops", unit: "total",
                                   "Times the supervised service was given up as a crash loop (audit chain)."),
                   Labels(), census.targetEvents["target.crash_loop"]?.values.reduce(0, +) ?? 0, in: &state)
            if let targetRestarts {
                mirror(Self.descriptor("target_restarts", unit: "total", "Restarts of the supervised service by this node's supervisor since Grace started."),
                       Labels(), targetRestarts, in: &state)
            }
        }
    }

    /// Sets one gauge family to `values`; label sets it had before and `values` lacks drop to 0.
    private func setGauges(_ descriptor: MetricNameDescriptor, _ values: [Labels: Double], in state: inout State) {
        let name = descriptor.name
        for (labels, value) in values {
            registry.makeGauge(descriptor: descriptor, labels: labels.pairs).set(to: value)
        }
        for gone in state.gaugeLabels[name, default: []].subtracting(values.keys) {
            registry.makeGauge(descriptor: descriptor, labels: gone.pairs).set(to: 0)
        }
        state.gaugeLabels[name, default: []].formUnion(values.keys)
    }

    /// Brings a counter to `value`, the store's count: adds what is new; a count that went down
    /// (a store restored from a backup) is a reset, which Prometheus' `rate` understands.
    private func mirror(_ descriptor: MetricNameDescriptor, _ labels: Labels, _ value: Int, in state: inout State) {
        let key = CounterKey(name: descriptor.name, labels: labels)
        let counter = state.counters[key]?.counter ?? registry.makeCounter(descriptor: descriptor, labels: labels.pairs)
        let last = state.counters[key]?.value ?? 0
        if value >= last {
            counter.increment(by: Int64(value - last))
        } else {
            counter.reset()
            counter.increment(by: Int64(value))
        }
        state.counters[key] = (counter, value)
    }
}

private extension MetricNameDescriptor {
    /// The exposed name (`namespace_subsystem_metric_unit`), as the registry builds it.
    var name: String { [namespace, subsystem, metricName, unitName].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "_") }
}
