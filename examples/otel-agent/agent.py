"""A small agent instrumented with the OpenTelemetry Python SDK that reports its traces to Grace.

It plans a trip: an agent span (GenAI `invoke_agent`) around an LLM call (`chat`, with model and
token usage) that calls a tool (`execute_tool`), then a retrieval (OpenInference `RETRIEVER`).
No Grace-specific code: the standard OTLP/HTTP exporter sends to OTEL_EXPORTER_OTLP_ENDPOINT.

    python3 -m venv .venv && .venv/bin/pip install -r examples/otel-agent/requirements.txt
    OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:8000 .venv/bin/python examples/otel-agent/agent.py

With GRACE_API_TOKEN set on Grace, add OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer <token>".
It prints the trace id; the run is GET /api/agent/runs?trace_id=<that id>.
Options: --fail-tool (the tool raises: its span and the agent's end in error), --city NAME.
"""

import argparse
import json
import os
import time

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import Status, StatusCode


def setup(service: str) -> TracerProvider:
    # OTLPSpanExporter reads OTEL_EXPORTER_OTLP_ENDPOINT (adding /v1/traces) and OTEL_EXPORTER_OTLP_HEADERS.
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    return provider


def get_weather(city: str, fail: bool) -> dict:
    tracer = trace.get_tracer("travel-agent")
    with tracer.start_as_current_span("execute_tool get_weather") as span:
        span.set_attribute("gen_ai.operation.name", "execute_tool")
        span.set_attribute("gen_ai.tool.name", "get_weather")
        span.set_attribute("input.value", json.dumps({"city": city}))
        time.sleep(0.02)
        if fail:
            raise RuntimeError(f"weather service unreachable for {city}")
        result = {"city": city, "forecast": "sunny", "high_c": 24}
        span.set_attribute("output.value", json.dumps(result))
        return result


def chat(prompt: str, city: str, fail_tool: bool) -> str:
    tracer = trace.get_tracer("travel-agent")
    with tracer.start_as_current_span("chat gpt-4o-mini") as span:
        span.set_attribute("gen_ai.operation.name", "chat")
        span.set_attribute("gen_ai.system", "openai")
        span.set_attribute("gen_ai.request.model", "gpt-4o-mini")
        span.set_attribute("input.value", prompt)
        weather = get_weather(city, fail_tool)
        answer = f"Pack sunglasses: {weather['forecast']}, {weather['high_c']} C in {city}."
        span.set_attribute("gen_ai.usage.input_tokens", 52)
        span.set_attribute("gen_ai.usage.output_tokens", 17)
        span.set_attribute("output.value", answer)
        return answer


def retrieve(city: str) -> list:
    tracer = trace.get_tracer("travel-agent")
    with tracer.start_as_current_span("retrieve guides") as span:
        span.set_attribute("openinference.span.kind", "RETRIEVER")
        span.set_attribute("input.value", city)
        time.sleep(0.01)
        documents = [f"{city} old town walk", f"{city} museums"]
        span.set_attribute("output.value", json.dumps(documents))
        return documents


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--city", default="Lisbon")
    parser.add_argument("--fail-tool", action="store_true")
    parser.add_argument("--service", default=os.environ.get("OTEL_SERVICE_NAME", "travel-agent"))
    args = parser.parse_args()

    provider = setup(args.service)
    tracer = trace.get_tracer("travel-agent")
    status = 0
    with tracer.start_as_current_span("invoke_agent travel_planner") as agent:
        agent.set_attribute("gen_ai.operation.name", "invoke_agent")
        agent.set_attribute("gen_ai.agent.name", "travel_planner")
        trace_id = format(agent.get_span_context().trace_id, "032x")
        try:
            print(chat(f"What should I pack for {args.city}?", args.city, args.fail_tool))
            retrieve(args.city)
        except RuntimeError as error:
            # The exception is recorded on the spans it passed through; the agent ends in error.
            agent.set_status(Status(StatusCode.ERROR, str(error)))
            print(f"agent failed: {error}")
            status = 1
    provider.shutdown()  # flushes the batch to Grace before exiting
    print(f"trace_id={trace_id}")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
