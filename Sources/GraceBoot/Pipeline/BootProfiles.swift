import GraceCore

/// The two stage lists (DESIGN.md section 3), built from the same checks.
public enum BootProfiles {
    /// `basic`: 8 stages, the original pipeline.
    public static func basic(healer: any StageHealer) -> [any BootStage] {
        [
            CheckStage("preflight_gate", critical: true, checks: [HomeWritableCheck(), DatabaseHealthCheck(), UncleanShutdownCheck()]),
            CheckStage("schema_sync_and_secrets", critical: true, checks: [SchemaMigrationCheck(), RequiredSecretsCheck(), UTF8LocaleCheck()]),
            CheckStage("core_services_isolation", critical: true, checks: [SafeModeCheck()]),
            CheckStage("startup_playbooks", critical: false, checks: [StartupPlaybooksCheck(healer: healer)]),
            CheckStage("codec_validation", critical: false, checks: [CodecCheck()]),
            CheckStage("autonomy_load", critical: false, checks: [PlaybookLoadCheck(), KnowledgeBaseCheck()]),
            CheckStage("smoke_tests", critical: true, checks: [ServiceBringUpCheck(), SmokeQueriesCheck(), HTTPSmokeCheck()]),
            CheckStage("continuous_monitor", critical: false, checks: [MonitorCheck()]),
        ]
    }

    /// `production`: 7 stages, the default for `grace up`.
    public static func production(healer: any StageHealer) -> [any BootStage] {
        [
            CheckStage("environment_and_dependencies", critical: true,
                       checks: [HomeWritableCheck(), DatabaseHealthCheck(), UncleanShutdownCheck(), UTF8LocaleCheck()]),
            CheckStage("schema_and_secrets_guardrail", critical: true, checks: [SchemaMigrationCheck(), RequiredSecretsCheck()]),
            CheckStage("safe_mode_boot_and_self_heal", critical: true,
                       checks: [SafeModeCheck(), CodecCheck(), StartupPlaybooksCheck(healer: healer)]),
            CheckStage("playbook_verification", critical: false, checks: [PlaybookLoadCheck(), KnowledgeBaseCheck()]),
            CheckStage("full_service_bring_up", critical: true, checks: [ServiceBringUpCheck()]),
            CheckStage("smoke_tests", critical: true, checks: [SmokeQueriesCheck(), HTTPSmokeCheck()]),
            CheckStage("continuous_oversight", critical: false, checks: [MonitorCheck()]),
        ]
    }

    /// The pipeline for a profile, with Grace's healer; with `target`, the supervised service's
    /// stages follow Grace's own.
    public static func pipeline(_ profile: GraceSettings.BootProfileName, target: TargetSettings? = nil,
                                healer: any StageHealer = CompositeHealer([BuiltInHealer(), KnowledgeBaseHealer()])) -> BootPipeline {
        let own = switch profile {
        case .basic: basic(healer: healer)
        case .production: production(healer: healer)
        }
        return BootPipeline(profile: profile.rawValue, stages: own + (target == nil ? [] : TargetStages.stages()), healer: healer)
    }
}
