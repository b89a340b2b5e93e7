"""How long the knowledge base takes to load, and how much memory it takes.

    python bench/kb_load.py [--runs N]

Each run is two fresh Python processes. The first imports eventwire.actors.phoenix (not counted), then
measures phoenix() (the load), making every entry (what the first lookups do bit by bit), building the surname
index, and lookups per second. The second imports the actor modules and the gazetteer (not counted), then
measures the whole knowledge-base load, everything the first lookups of the actor stage load: kb()
(countries, seats, organizations, sectors, roles), the persons dictionary, Phoenix and its surname index, the
gazetteer. Prints the medians over the runs and, last, the whole load: CPU time (median and min; CPU time, so
that other work on the machine counts little) and the growth of the peak resident set size (VmHWM):
`knowledge base load: X s CPU (min Y s), peak RSS +Z MB`. tests/test_kb_load.py holds it under 1 s and 150 MB.
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


LOAD_CHILD = r"""
import json, sys, time
if "spacy" in sys.argv[1:]:
    import spacy     # as a pipeline run has, before its first lookup: not counted
from eventwire.actors import known, phoenix
from eventwire.actors import kb as kb_module
from eventwire.gazetteer import gazetteer

def peak_mb():
    # VmHWM, this process's own peak: getrusage's ru_maxrss of a child starts from its parent's peak on Linux.
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM")) / 1024

parts = {}
def part(name, load):
    t = time.process_time()
    load()
    parts[name] = time.process_time() - t

before = peak_mb()
part("kb", kb_module.kb)
part("persons", lambda: (known.dictionaries(), known.given_names()))
part("phoenix", phoenix.phoenix)
part("surnames", phoenix.surname_index)
part("gazetteer", lambda: gazetteer().resolve("Lima"))
print(json.dumps({"seconds": sum(parts.values()), "mb": peak_mb() - before, **parts,
                  "tokenizer": kb_module.english_tokenizer.cache_info().currsize}))
"""


def load_once(spacy_imported: bool = False) -> dict:
    """The whole knowledge-base load in a fresh process (spaCy imported first, uncounted, or not): CPU seconds,
    peak RSS growth (MB), each part's seconds, and whether spaCy's tokenizer was built (1) or not (0)."""
    out = subprocess.run([sys.executable, "-c", LOAD_CHILD, *(["spacy"] if spacy_imported else [])],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


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
    for spacy_imported in (True, False):
        loads = [load_once(spacy_imported) for _ in range(args.runs)]
        median = {k: statistics.median(r[k] for r in loads) for k in loads[0]}
        label = "knowledge base load" + (" (spaCy imported before, as in a pipeline run)" if spacy_imported else "")
        print(f"{label}, CPU s (median): " + ", ".join(
            f"{k} {median[k]:.3f}" for k in ("kb", "persons", "phoenix", "surnames", "gazetteer")))
        print(f"{label}: {median['seconds']:.3f} s CPU (median of {args.runs}, min "
              f"{min(r['seconds'] for r in loads):.3f} s), peak RSS +{median['mb']:.1f} MB (min "
              f"{min(r['mb'] for r in loads):.1f} MB)")


if __name__ == "__main__":
    main()
