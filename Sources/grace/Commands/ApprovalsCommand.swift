import ArgumentParser
import Foundation
import GraceBoot
import GraceCore
import GraceStore

struct ApprovalsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approvals",
        abstract: "List, approve or reject playbooks waiting for a human decision.",
        subcommands: [List.self, Approve.self, Reject.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List approval requests (pending by default).")
        @OptionGroup var options: GlobalOptions
        @Option(help: "pending, approved, rejected, executed or all.") var status = "pending"
        @Flag(help: "One JSON object per line.") var json = false

        func validate() throws {
            guard status == "all" || ApprovalRequest.Status(rawValue: status) != nil else {
                throw ValidationError("--status must be pending, approved, rejected, executed or all, got \"\(status)\"")
            }
        }

        func run() async throws {
            let runtime = try Runtime.start(options, label: "grace.approvals", console: false, home: .existing)
            let approvals = try await runtime.openStore().repositories.approvals.approvals(status: ApprovalRequest.Status(rawValue: status), limit: 500)
            if json {
                for approval in approvals { print(String(decoding: try JSONEncoder.graceCompact.encode(approval), as: UTF8.self)) }
                return
            }
            if approvals.isEmpty { print("no \(status == "all" ? "" : status + " ")approvals") }
            for approval in approvals {
                print("\(approval.eventID)  \(approval.status.rawValue)  \(approval.createdAt)  playbook \(approval.playbookID ?? "-")  pattern \(approval.patternID ?? "-")")
                print("    \(approval.reason)")
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve a request and run its playbook now (exactly once), then verify it.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Approval id (apr_...).") var id: String
        @Option(help: "Who decides (recorded in the audit log).") var by = ProcessInfo.processInfo.environment["USER"] ?? "operator"
        @Option(help: "Why.") var reason: String?

        func run() async throws {
            let runtime = try Runtime.start(options, label: "grace.approvals", console: false, home: .existing)
            let store = try await runtime.openStore()
            let repositories = store.repositories
            let approval: ApprovalRequest
            do {
                approval = try await repositories.approvals.decide(id: id, approve: true, by: by, reason: reason)
            } catch {
                printError("\(error)")
                throw GraceExit.failure
            }
            try await repositories.audit.append(AuditEvent(actor: by, action: "approval.approve", resource: "approval/\(id)", subsystem: "self_heal",
                                                           payload: ["playbook_id": approval.playbookID.map(JSONValue.string) ?? .null],
                                                           result: "approved"))
            if let owner = approval.nodeID, owner != runtime.settings.nodeID {
                print("approved \(id); node \(owner) raised it and runs its playbook (grace up on that node)")
                return
            }
            guard let match = SelfHealer.match(fromApprovalDetails: approval.details) else {
                print("approved \(id); it carries no failure match to act on, so nothing ran")
                return
            }
            if SelfHealer.isTargetApproval(approval.details) {
                // Only the supervisor can restart the service and verify that it recovered.
                let playbook = approval.playbookID ?? "its playbook"
                if InstanceLock.isHeld(runtime.layout.pidFile) {
                    print("approved \(id); the running Grace supervises the service and runs \(playbook) within seconds")
                } else {
                    print("approved \(id); Grace is not running on \(runtime.layout.root): `grace up` runs \(playbook) once it supervises the service")
                }
                return
            }
            // Claim the execution first: only one caller can move approved -> executed.
            guard try await repositories.approvals.markExecuted(id: id) else {
                print("approved \(id); it was already executed")
                return
            }
            let healer = try SelfHealer.forHome(settings: runtime.settings, repositories: repositories, logger: runtime.logger)
            let outcome = await healer.handle(match, runID: approval.runID, approvedID: id)
            runtime.sink.flush()
            print("approved \(id); ran \(outcome.attempt.playbookID): \(outcome.attempt.succeeded ? "fixed" : "not fixed")")
            print("    \(outcome.attempt.detail)")
            if !outcome.attempt.succeeded { throw GraceExit.failure }
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a request; its playbook will not run.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Approval id (apr_...).") var id: String
        @Option(help: "Who decides.") var by = ProcessInfo.processInfo.environment["USER"] ?? "operator"
        @Option(help: "Why.") var reason: String?

        func run() async throws {
            let runtime = try Runtime.start(options, label: "grace.approvals", console: false, home: .existing)
            let repositories = try await runtime.openStore().repositories
            do {
                _ = try await repositories.approvals.decide(id: id, approve: false, by: by, reason: reason)
            } catch {
                printError("\(error)")
                throw GraceExit.failure
            }
            try await repositories.audit.append(AuditEvent(actor: by, action: "approval.reject", resource: "approval/\(id)",
                                                           subsystem: "self_heal", payload: ["reason": reason.map(JSONValue.string) ?? .null],
                                                           result: "rejected"))
            print("rejected \(id)")
        }
    }
}
