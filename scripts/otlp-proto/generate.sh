#!/usr/bin/env bash
# Regenerates Sources/GraceTelemetry/OTLPProto/*.pb.swift from the OTLP trace protos.
# Run by hand when the protos move on; the output is committed, so no build runs protoc or
# swift-protobuf's plugin (a plugin build alone takes about 10 minutes on 2 cores).
#
# The protos come from PyPI's opentelemetry-proto: its *_pb2.py modules embed the exact
# FileDescriptorProtos of opentelemetry-proto, which descriptors.py writes out as one
# FileDescriptorSet for protoc. protoc is Debian's protobuf-compiler; protoc-gen-swift is built
# from the swift-protobuf version Package.swift names.
set -euo pipefail
cd "$(dirname "$0")/../.."
work="$(mktemp -d /tmp/grace-otlp-proto.XXXXXX)"
trap 'rm -rf "$work"' EXIT
PROTO_VERSION="${PROTO_VERSION:-1.45.2}"
SWIFT_PROTOBUF_VERSION="${SWIFT_PROTOBUF_VERSION:-1.39.0}"

command -v protoc >/dev/null || { apt-get update -qq && apt-get install -y -qq protobuf-compiler; }
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q "opentelemetry-proto==$PROTO_VERSION"
"$work/venv/bin/python" scripts/otlp-proto/descriptors.py "$work/otlp-trace.pb"

git clone -q https://github.com/apple/swift-protobuf.git "$work/swift-protobuf"
git -C "$work/swift-protobuf" checkout -q "$SWIFT_PROTOBUF_VERSION"
(cd "$work/swift-protobuf" && swift build --product protoc-gen-swift)

protoc --plugin=protoc-gen-swift="$work/swift-protobuf/.build/debug/protoc-gen-swift" \
    --descriptor_set_in="$work/otlp-trace.pb" --swift_out=Sources/GraceTelemetry/OTLPProto \
    --swift_opt=Visibility=Internal --swift_opt=FileNaming=DropPath \
    opentelemetry/proto/common/v1/common.proto opentelemetry/proto/resource/v1/resource.proto \
    opentelemetry/proto/trace/v1/trace.proto opentelemetry/proto/collector/trace/v1/trace_service.proto
echo "regenerated Sources/GraceTelemetry/OTLPProto from opentelemetry-proto $PROTO_VERSION (PyPI) with swift-protobuf $SWIFT_PROTOBUF_VERSION"
