from agent_routes import router  # noqa: F401  (agent_routes imports this module back)

class AgentModel:
    pass
