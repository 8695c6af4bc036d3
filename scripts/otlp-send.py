"""Sends the same OTLP/HTTP span batches to a receiver and measures it (scripts/bench-otlp.sh).

Builds BATCHES ExportTraceServiceRequests (protobuf, opentelemetry-proto's messages) of TRACES
traces of SPANS nested agent spans each (agent > chat > tool ...), deterministically from a seed,
then posts them from WORKERS threads over keep-alive connections. Prints one JSON line: spans
sent, acknowledged (HTTP 200 without rejected spans), wall seconds, spans/s, p50/p99 latency.
Usage: otlp-send.py URL [--batches N] [--traces N] [--spans N] [--workers N] [--seed N]
       [--header 'Name: value'] [--ids-out FILE]   (FILE: the trace ids, one a line)
"""

import argparse
import http.client
import json
import random
import threading
import time
import urllib.parse

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest, ExportTraceServiceResponse
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue
from opentelemetry.proto.trace.v1.trace_pb2 import ResourceSpans, ScopeSpans, Span, Status

KINDS = [("gen_ai.operation.name", "invoke_agent"), ("gen_ai.operation.name", "chat"), ("gen_ai.operation.name", "execute_tool"),
         ("openinference.span.kind", "RETRIEVER"), ("openinference.span.kind", "LLM")]


def attribute(key, value):
    if isinstance(value, int):
        return KeyValue(key=key, value=AnyValue(int_value=value))
    return KeyValue(key=key, value=AnyValue(string_value=value))


def batches(count, traces, spans, seed):
    rng = random.Random(seed)
    start = 1_764_650_000_000_000_000
    result, trace_ids = [], []
    for _ in range(count):
        request = ExportTraceServiceRequest()
        resource = ResourceSpans()
        resource.resource.attributes.append(attribute("service.name", "bench-agent"))
        scope = ScopeSpans()
        scope.scope.name = "bench"
        for _ in range(traces):
            trace_id = rng.getrandbits(128).to_bytes(16, "big")
            trace_ids.append(trace_id.hex())
            ids = [rng.getrandbits(64).to_bytes(8, "big") for _ in range(spans)]
            for index in range(spans):
                span = Span(trace_id=trace_id, span_id=ids[index], name=f"span {index}", kind=Span.SPAN_KIND_INTERNAL,
                            start_time_unix_nano=start + index * 1_000_000, end_time_unix_nano=start + (spans * 2 - index) * 1_000_000)
                if index:
                    span.parent_span_id = ids[(index - 1) // 2]  # a tree: each span's parent is an earlier one
                key, value = KINDS[index % len(KINDS)] if index else KINDS[0]
                span.attributes.extend([attribute(key, value), attribute("gen_ai.request.model", "gpt-4o-mini"),
                                        attribute("gen_ai.usage.input_tokens", 100 + index), attribute("input.value", "x" * 64)])
                span.status.code = Status.STATUS_CODE_OK
                scope.spans.append(span)
        resource.scope_spans.append(scope)
        request.resource_spans.append(resource)
        result.append(request.SerializeToString())
    return result, trace_ids


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--batches", type=int, default=200)
    parser.add_argument("--traces", type=int, default=10)
    parser.add_argument("--spans", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--header", action="append", default=[])
    parser.add_argument("--ids-out")
    args = parser.parse_args()

    bodies, trace_ids = batches(args.batches, args.traces, args.spans, args.seed)
    if args.ids_out:
        with open(args.ids_out, "w") as out:
            out.write("\n".join(trace_ids) + "\n")
    url = urllib.parse.urlsplit(args.url)
    headers = {"Content-Type": "application/x-protobuf"}
    for header in args.header:
        name, value = header.split(":", 1)
        headers[name.strip()] = value.strip()

    latencies, failures, acknowledged = [], [], [0]
    lock = threading.Lock()
    queue = list(range(len(bodies)))

    def worker():
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
        while True:
            with lock:
                if not queue:
                    break
                index = queue.pop()
            began = time.perf_counter()
            connection.request("POST", url.path or "/v1/traces", body=bodies[index], headers=headers)
            response = connection.getresponse()
            body = response.read()
            took = time.perf_counter() - began
            rejected = 0
            if response.status == 200 and body:
                answer = ExportTraceServiceResponse()
                answer.ParseFromString(body)
                rejected = answer.partial_success.rejected_spans
            with lock:
                latencies.append(took)
                if response.status == 200 and rejected == 0:
                    acknowledged[0] += args.traces * args.spans
                else:
                    failures.append(f"{response.status} rejected={rejected} {body[:200]!r}")
        connection.close()

    began = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(args.workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    latencies.sort()

    def percentile(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000 if latencies else 0.0

    sent = len(bodies) * args.traces * args.spans
    print(json.dumps({"spans_sent": sent, "spans_acknowledged": acknowledged[0], "requests": len(bodies), "failures": failures[:3],
                      "seconds": round(wall, 3), "spans_per_second": round(acknowledged[0] / wall, 1),
                      "p50_ms": round(percentile(0.50), 2), "p99_ms": round(percentile(0.99), 2)}))


if __name__ == "__main__":
    main()
