import Foundation
import GraceCore
import GraceStore

/// Autonomy load: the metric catalogue and the playbooks load; every playbook has a risk and a tier.
struct PlaybookLoadCheck: BootCheck {
    func run(in context: BootContext) async throws -> StageResult {
        let loaded = PlaybookCatalogLoader(layout: context.layout).load()
        context.playbooks = loaded.playbooks
        var findings = loaded.errors.map { Finding(message: "a playbook file could not be loaded", evidence: $0, code: "playbook_invalid") }
        findings += loaded.warnings.map {
            Finding(message: "a playbook is missing its risk fields; it loaded with the safest values", evidence: $0,
                    code: "playbook_missing_risk_fields")
        }
        if let store = context.store {
            for playbook in loaded.playbooks { try await store.repositories.playbooks.upsert(playbook.record) }
        }
        for definition in MetricCatalog.builtIn where definition.band(for: definition.critical) != .critical {
            findings.append(Finding(message: "metric \(definition.id) has inconsistent thresholds", code: "metric_catalog_invalid"))
        }
        if loaded.playbooks.isEmpty {
            findings.append(Finding(message: "no playbooks loaded", code: "playbooks_missing"))
        }
        let broken = !loaded.errors.isEmpty || loaded.playbooks.isEmpty
        return .from(findings, otherwise: broken ? .failed : .warning)
    }
}

/// Startup playbooks: offers what earlier stages noticed (warnings) to the healer.
struct StartupPlaybooksCheck: BootCheck {
    let healer: any StageHealer

    func run(in context: BootContext) async throws -> StageResult {
        let findings = context.earlierFindings
        guard !findings.isEmpty else { return .passed }
        let attempts = await healer.heal(stage: "startup_playbooks", findings: findings, in: context)
        context.earlierFindings = []
        let notes = attempts.map {
            Finding(message: "playbook \($0.playbookID): \($0.decision)\($0.succeeded ? ", fixed" : "")", evidence: $0.detail,
                    code: "startup_playbook")
        }
        return StageResult(status: attempts.allSatisfy(\.succeeded) ? .passed : .warning, findings: notes)
    }
}

/// Continuous monitor: one pass now (metric snapshots written); under `grace up` the service keeps going.
struct MonitorCheck: BootCheck {
    func run(in context: BootContext) async throws -> StageResult {
        let store = try context.requireStore()
        let monitor = ContinuousMonitor(layout: context.layout, repositories: store.repositories, logger: context.logger, store: store)
        let snapshots = try await monitor.pass()
        let findings = snapshots.filter { $0.latestBand != .good }.map { snapshot in
            Finding(message: "metric \(snapshot.metricID) is \(snapshot.latestBand.rawValue)", evidence: snapshot.stats.jsonText,
                    code: "metric_\(snapshot.latestBand.rawValue)", resource: snapshot.metricID)
        }
        return .from(findings, otherwise: .warning)
    }
}
