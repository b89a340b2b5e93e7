"""How long the Phoenix knowledge base takes to load, and how much memory it takes.

    python bench/kb_load.py [--runs N]

Each run is a fresh Python process that imports eventwire.actors.phoenix (not counted), then measures
phoenix() (the load), making every entry (what the first lookups do bit by bit), building the surname
index, and lookups per second. Prints the median over the runs and, last, the load time and the growth of
the resident set size: `phoenix() load: X s, RSS +Y MB`.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, os, time

def rss_mb():
    try:
        import psutil
        return psutil.Process().memory_info().rss / 2**20
    except ImportError:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

from eventwire.actors import phoenix as ph
before = rss_mb()
t = time.perf_counter()
kb = ph.phoenix()
load = time.perf_counter() - t
after_load = rss_mb()
probes = [("tony", "blair"), ("vladimir", "putin"), ("police",), ("united", "nations")]
misses = [("the", "minister", "said"), ("on", "monday"), ("kyiv",), ("a", "new", "law")]
t = time.perf_counter()
for _ in range(10_000):
    for p in probes:
        kb.lookup(p)
hit = (time.perf_counter() - t) / (10_000 * len(probes))
t = time.perf_counter()
for _ in range(10_000):
    for p in misses:
        kb.lookup(p)
miss = (time.perf_counter() - t) / (10_000 * len(misses))
t = time.perf_counter()
count = sum(1 for _ in kb)
every = time.perf_counter() - t
after_all = rss_mb()
t = time.perf_counter()
surnames = len(kb.surname_index())
surname = time.perf_counter() - t
print(json.dumps({"load": load, "rss_load": after_load - before, "every": every, "rss_all": after_all - before,
                  "entries": count, "names": len(kb.names()), "surname": surname, "surnames": surnames,
                  "hit_us": hit * 1e6, "miss_us": miss * 1e6,
                  "file_mb": ph.DATA_FILE.stat().st_size / 1e6}))
"""


def run_once() -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    runs = [run_once() for _ in range(args.runs)]
    m = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    worst = max(r["load"] for r in runs)
    print(f"data file: {m['file_mb']:.2f} MB; {m['entries']:.0f} entries, {m['names']:.0f} name keys")
    print(f"lookup: {m['hit_us']:.1f} us per hit, {m['miss_us']:.1f} us per miss")
    print(f"every entry made: {m['every']:.3f} s more, RSS +{m['rss_all']:.1f} MB in all")
    print(f"surname_index(): {m['surname']:.3f} s, {m['surnames']:.0f} surnames")
    print(f"phoenix() load: {m['load']:.3f} s (median of {args.runs}, slowest {worst:.3f} s), "
          f"RSS +{m['rss_load']:.1f} MB")


if __name__ == "__main__":
    main()
