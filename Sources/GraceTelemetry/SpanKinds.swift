/// The span kinds agent tracing uses, and Grace's step type for each: OpenTelemetry's GenAI
/// semantic conventions (`gen_ai.operation.name`) and OpenInference's (`openinference.span.kind`).
/// One table read both ways: ingestion maps a span's kind to a step type, export a step type to
/// both kind attributes, so a trace sent to Grace and exported again keeps its kinds.
public enum SpanKinds {
    public struct Kind: Sendable, Equatable {
        /// Grace's step type (one of ``GraceCore/TimelineStep/traceTypes``).
        public var stepType: String
        /// The GenAI operation, where the conventions name one for it.
        public var genAIOperation: String?
        /// The OpenInference span kind.
        public var openInferenceKind: String
    }

    public static let genAIOperationKey = "gen_ai.operation.name"
    public static let openInferenceKindKey = "openinference.span.kind"

    /// The first entry of a step type is the one export writes.
    public static let table: [Kind] = [
        Kind(stepType: "agent", genAIOperation: "invoke_agent", openInferenceKind: "AGENT"),
        Kind(stepType: "create_agent", genAIOperation: "create_agent", openInferenceKind: "AGENT"),
        // Before workflow: a span of OpenInference kind CHAIN alone is a chain.
        Kind(stepType: "chain", genAIOperation: nil, openInferenceKind: "CHAIN"),
        Kind(stepType: "workflow", genAIOperation: "invoke_workflow", openInferenceKind: "CHAIN"),
        Kind(stepType: "tool", genAIOperation: "execute_tool", openInferenceKind: "TOOL"),
        Kind(stepType: "llm", genAIOperation: "chat", openInferenceKind: "LLM"),
        Kind(stepType: "llm", genAIOperation: "text_completion", openInferenceKind: "LLM"),
        Kind(stepType: "llm", genAIOperation: "generate_content", openInferenceKind: "LLM"),
        Kind(stepType: "retrieval", genAIOperation: "retrieval", openInferenceKind: "RETRIEVER"),
        Kind(stepType: "embedding", genAIOperation: "embeddings", openInferenceKind: "EMBEDDING"),
        Kind(stepType: "reranker", genAIOperation: nil, openInferenceKind: "RERANKER"),
        Kind(stepType: "guardrail", genAIOperation: nil, openInferenceKind: "GUARDRAIL"),
        Kind(stepType: "evaluator", genAIOperation: nil, openInferenceKind: "EVALUATOR"),
        Kind(stepType: "prompt", genAIOperation: nil, openInferenceKind: "PROMPT"),
    ]

    /// The step type of a span that names no kind Grace knows.
    public static let unknownStepType = "span"

    /// A span's step type: its GenAI operation first, then its OpenInference kind (either case).
    public static func stepType(genAIOperation: String?, openInferenceKind: String?) -> String {
        if let genAIOperation, let kind = table.first(where: { $0.genAIOperation == genAIOperation }) { return kind.stepType }
        if let openInferenceKind = openInferenceKind?.uppercased(),
           let kind = table.first(where: { $0.openInferenceKind == openInferenceKind }) {
            return kind.stepType
        }
        return unknownStepType
    }

    /// The kind export gives a step type; Grace's own step types are mapped to the nearest kind
    /// (a boot stage is a workflow step, a playbook a tool, a verification an evaluator).
    public static func kind(ofStepType stepType: String) -> Kind {
        if let kind = table.first(where: { $0.stepType == stepType }) { return kind }
        switch stepType {
        case "playbook_execution": return Kind(stepType: stepType, genAIOperation: "execute_tool", openInferenceKind: "TOOL")
        case "verification": return Kind(stepType: stepType, genAIOperation: nil, openInferenceKind: "EVALUATOR")
        default: return Kind(stepType: stepType, genAIOperation: nil, openInferenceKind: "CHAIN")
        }
    }
}
