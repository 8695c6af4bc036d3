from google.protobuf import descriptor_pb2
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2
from opentelemetry.proto.trace.v1 import trace_pb2
from opentelemetry.proto.common.v1 import common_pb2
from opentelemetry.proto.resource.v1 import resource_pb2
import sys
out = descriptor_pb2.FileDescriptorSet()
for module in (common_pb2, resource_pb2, trace_pb2, trace_service_pb2):
    proto = descriptor_pb2.FileDescriptorProto()
    module.DESCRIPTOR.CopyToProto(proto)
    print(proto.name, file=sys.stderr)
    out.file.append(proto)
open(sys.argv[1], "wb").write(out.SerializeToString())
