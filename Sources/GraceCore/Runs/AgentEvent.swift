/// One change to the timeline sent by a client without OpenTelemetry (`POST /api/agent/events`),
/// named by the client's own event id: the same event sent twice is applied once.
public struct AgentEvent: Sendable, Equatable {
    public enum Change: Sendable, Equatable {
        /// A new run, with the client's run id.
        case runStarted(AgentRun)
        /// A step of an active run: added when its id is new, else the stored step moves on
        /// (status forward, end, duration, details, description), as `PATCH .../steps/{id}` does.
        case step(TimelineStep)
        /// The run ends with this status at this time.
        case runCompleted(runID: String, status: AgentRun.Status, at: String)
    }

    public var eventID: String
    public var change: Change

    public init(eventID: String, change: Change) {
        self.eventID = eventID
        self.change = change
    }

    /// The run the event is about.
    public var runID: String {
        switch change {
        case .runStarted(let run): run.runID
        case .step(let step): step.runID
        case .runCompleted(let runID, _, _): runID
        }
    }

    /// `run_started`, `step` or `run_completed`: the event's `type` in the API.
    public var type: String {
        switch change {
        case .runStarted: "run_started"
        case .step: "step"
        case .runCompleted: "run_completed"
        }
    }

    /// What storing an event did.
    public enum Outcome: String, Sendable, Equatable {
        /// Applied now.
        case applied
        /// An event of this id was applied before: nothing changed.
        case duplicate
    }
}
