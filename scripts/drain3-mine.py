#!/usr/bin/env python3
"""Drain3 (PyPI drain3 0.9.11) over one message per line, the comparison for scripts/eval-mining.sh.

Prints each line's cluster id with --ids; always prints on stderr "<lines> <wall seconds> <cpu
seconds>" for the mining loop alone (reading the file and starting Python are not counted).
Masks for IP addresses, hex numbers and numbers, as Drain3's own examples configure them."""
import sys, time
from drain3 import TemplateMiner
from drain3.template_miner_config import TemplateMinerConfig
from drain3.masking import MaskingInstruction

config = TemplateMinerConfig()
config.masking_instructions = [
    MaskingInstruction(r"((?<=[^A-Za-z0-9])|^)(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})((?=[^A-Za-z0-9])|$)", "IP"),
    MaskingInstruction(r"((?<=[^A-Za-z0-9])|^)(0x[a-f0-9A-F]+)((?=[^A-Za-z0-9])|$)", "HEX"),
    MaskingInstruction(r"((?<=[^A-Za-z0-9])|^)([\-\+]?\d+)((?=[^A-Za-z0-9])|$)", "NUM"),
]
config.profiling_enabled = False
with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
    lines = f.read().split("\n")
if lines and lines[-1] == "":
    lines.pop()
miner = TemplateMiner(config=config)
wall, cpu = time.perf_counter(), time.process_time()
ids = [miner.add_log_message(line)["cluster_id"] for line in lines]
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
if "--ids" in sys.argv:
    sys.stdout.write("".join(f"{i}\n" for i in ids))
sys.stderr.write(f"{len(lines)} {wall} {cpu}\n")
