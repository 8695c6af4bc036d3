import ArgumentParser
import Foundation
import GraceBoot
import GraceCore
import GraceStore

struct ApprovalsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approvals",
        abstract: "List, approve or reject playbooks waiting for a human decision.",
        subcommands: [List.self, Approve.self, Confirm.self, Reject.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List approval requests (pending by default).")
        @OptionGroup var options: GlobalOptions
        @Option(help: "pending, approved, rejected, executed (running), succeeded, failed, expired or all.") var status = "pending"
        @Flag(help: "One JSON object per line.") var json = false

        func validate() throws {
            guard status == "all" || ApprovalRequest.Status(rawValue: status) != nil else {
                throw ValidationError("--status must be " + ApprovalRequest.Status.allCases.map(\.rawValue).joined(separator: ", ")
                                      + " or all, got \"\(status)\"")
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
        static let configuration = CommandConfiguration(commandName: "approve",
            abstract: "Approve a request and run its playbook now (exactly once), then verify it.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Approval id (apr_...).") var id: String
        @Option(help: "Who decides (recorded in the audit log).") var by = ProcessInfo.processInfo.environment["USER"] ?? "operator"
        @Option(help: "Why.") var reason: String?

        func run() async throws {
            let runtime = try Runtime.start(options, label: "grace.approvals", console: false, home: .existing)
            try await Self.approve(id, by: by, reason: reason, runtime: runtime)
        }

        /// Approves `id` and acts on it: runs its playbook here, leaves it to the node or supervisor
        /// that runs it, or, for a confirmation request, confirms the fix a person made.
        static func approve(_ id: String, by: String, reason: String?, runtime: Runtime) async throws {
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
            let healer = try SelfHealer.forHome(settings: runtime.settings, repositories: repositories, logger: runtime.logger)
            if SelfHealer.awaitsConfirmation(approval.details) {
                // Claimed first: a running Grace's executor may be settling it already.
                guard try await repositories.approvals.markExecuted(id: id) else {
                    print("confirmed \(id); the running Grace settles it")
                    return
                }
                await healer.settleConfirmation(approval, confirmed: true)
                runtime.sink.flush()
                print("confirmed \(id); the fix by \(approval.playbookID ?? "its playbook") counts as succeeded")
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
            guard healer.policy.mayExecute else {
                print("approved \(id); execution is disabled (SELF_HEAL_OBSERVE_ONLY=true or SELF_HEAL_EXECUTE=false), so nothing ran: "
                      + "it stays approved and runs once execution is enabled")
                return
            }
            // Claim the execution first: only one caller can move approved -> executed.
            guard try await repositories.approvals.markExecuted(id: id) else {
                print("approved \(id); it was already executed")
                return
            }
            let outcome = await healer.handle(match, runID: approval.runID, approvedID: id)
            if let confirmation = outcome.confirmationID {
                // What was approved ran; whether it fixed anything is for a person to confirm.
                await healer.finishApproval(id, succeeded: true, playbookRunID: outcome.playbookRunID,
                                            detail: "ran; a person confirms the fix in \(confirmation)")
                runtime.sink.flush()
                print("approved \(id); ran \(outcome.attempt.playbookID), which a person must complete: confirm it with "
                      + "`grace approvals confirm \(confirmation)` (or reject it)")
                print("    \(outcome.attempt.detail)")
                return
            }
            await healer.finishApproval(id, succeeded: outcome.attempt.succeeded, playbookRunID: outcome.playbookRunID, detail: outcome.attempt.detail)
            runtime.sink.flush()
            print("approved \(id); ran \(outcome.attempt.playbookID): \(outcome.attempt.succeeded ? "fixed, verified (succeeded)" : "not fixed (failed)")")
            print("    \(outcome.attempt.detail)")
            if !outcome.attempt.succeeded { throw GraceExit.failure }
        }
    }

    struct Confirm: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "confirm",
            abstract: "Confirm that a fix only a person could make or check is done; it then counts as succeeded.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Confirmation request id (apr_...).") var id: String
        @Option(help: "Who confirms (recorded in the audit log).") var by = ProcessInfo.processInfo.environment["USER"] ?? "operator"
        @Option(help: "What was done.") var reason: String?

        func run() async throws {
            let runtime = try Runtime.start(options, label: "grace.approvals", console: false, home: .existing)
            let request = try await runtime.openStore().repositories.approvals.approval(id: id)
            guard let request else {
                printError("approval \(id) does not exist")
                throw GraceExit.failure
            }
            guard SelfHealer.awaitsConfirmation(request.details) else {
                printError("\(id) asks to allow a fix, not to confirm one: use `grace approvals approve \(id)`")
                throw GraceExit.failure
            }
            try await Approve.approve(id, by: by, reason: reason, runtime: runtime)
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reject", abstract: "Reject a request; its playbook will not run.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Approval id (apr_...).") var id: String
        @Option(help: "Who decides.") var by = ProcessInfo.processInfo.environment["USER"] ?? "operator"
        @Option(help: "Why.") var reason: String?

        func run() async throws {
            let runtime = try Runtime.start(options, label: "grace.approvals", console: false, home: .existing)
            let repositories = try await runtime.openStore().repositories
            let rejected: ApprovalRequest
            do {
                rejected = try await repositories.approvals.decide(id: id, approve: false, by: by, reason: reason)
            } catch {
                printError("\(error)")
                throw GraceExit.failure
            }
            try await repositories.audit.append(AuditEvent(actor: by, action: "approval.reject", resource: "approval/\(id)",
                                                           subsystem: "self_heal", payload: ["reason": reason.map(JSONValue.string) ?? .null],
                                                           result: "rejected"))
            if SelfHealer.awaitsConfirmation(rejected.details) {
                // The person says the fix is not done: it counts as failed.
                let healer = try SelfHealer.forHome(settings: runtime.settings, repositories: repositories, logger: runtime.logger)
                await healer.settleConfirmation(rejected, confirmed: false)
                runtime.sink.flush()
                print("rejected \(id); the fix by \(rejected.playbookID ?? "its playbook") counts as failed")
                return
            }
            print("rejected \(id)")
        }
    }
}
