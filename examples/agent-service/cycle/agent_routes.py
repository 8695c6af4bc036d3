from agent_models import AgentModel  # noqa: F401  (circular: agent_models is still initialising)

router = object()
