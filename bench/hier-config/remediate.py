"""hier_config's EOS remediation, for bench/hier-config.ts: run from a checkout of netdevops/hier_config
(PyPI is not reachable here), with its one dependency (pydantic 2) installed.

  python3 bench/hier-config/remediate.py HIER_CONFIG_DIR corpus PAIRS_JSON CONFIG_DIR   -> one JSON line per pair
  python3 bench/hier-config/remediate.py HIER_CONFIG_DIR time RUNNING INTENDED N       -> {"meanMs", "cpuMs", "lines"}

A remediation is printed as a linear script the way the engine writes one (children indented 3 spaces,
every block left with `exit`), so the simulator can type it in.
"""
import json
import sys
import time

sys.path.insert(0, sys.argv[1])
from hier_config import Platform, WorkflowRemediation, get_hconfig  # noqa: E402


def script(config):
    out = []

    def walk(node, depth):
        for child in node.children:
            out.append("   " * depth + child.text)
            if child.children:
                walk(child, depth + 1)
                out.append("   " * (depth + 1) + "exit")

    walk(config, 0)
    return out


def remediate(running_text, intended_text):
    running = get_hconfig(Platform.ARISTA_EOS, running_text)
    intended = get_hconfig(Platform.ARISTA_EOS, intended_text)
    return WorkflowRemediation(running, intended).remediation_config


if sys.argv[2] == "corpus":
    pairs = json.load(open(sys.argv[3]))
    for pair in pairs:
        running = open(f"{sys.argv[4]}/{pair['running']}.cfg").read()
        intended = open(f"{sys.argv[4]}/{pair['intended']}.cfg").read()
        try:
            print(json.dumps({"id": pair["id"], "commands": script(remediate(running, intended))}))
        except Exception as error:  # a config hier_config cannot read: reported, not fatal
            print(json.dumps({"id": pair["id"], "error": repr(error)[:300]}))
else:
    running = open(sys.argv[3]).read()
    intended = open(sys.argv[4]).read()
    iterations = int(sys.argv[5])
    remediate(running, intended)
    start = time.perf_counter()
    cpu_start = time.process_time()
    for _ in range(iterations):
        result = remediate(running, intended)
    mean = (time.perf_counter() - start) * 1000 / iterations
    cpu = (time.process_time() - cpu_start) * 1000 / iterations
    print(json.dumps({"meanMs": round(mean, 3), "cpuMs": round(cpu, 3), "lines": len(script(result))}))
