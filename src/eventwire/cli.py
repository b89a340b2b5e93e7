"""The command line: one command per API function, nothing more."""
from __future__ import annotations

import argparse
import logging
import sys
import traceback

from . import __version__, api, errors
from .pipeline import Failure
from .read import InputError
from .terminal import json_text, printable

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
SQL_INTEGER_MAX = 2**63 - 1     # the largest --offset or --limit a store can take
EVENT_COLUMNS = ("id", "date", "type", "source_name", "source_country", "target_name", "target_country",
                 "modality", "trigger")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = logging.StreamHandler()
    handler.setFormatter(PrintableFormatter("eventwire: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.run(args) or EXIT_OK
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        say("eventwire: interrupted", err=True)
        return EXIT_INTERRUPTED
    except Exception as e:  # noqa: BLE001 - whatever reaches the user is one line; --debug shows the traceback
        if args.debug:
            traceback.print_exc()
        code, line = errors.describe(e, getattr(args, "db", None))
        say(f"eventwire: {line}", err=True)
        return code


def say(line: str = "", err: bool = False) -> None:
    """Every line the CLI prints goes through here: names and article text never reach the terminal raw."""
    print(printable(line), file=sys.stderr if err else sys.stdout, flush=err)


class PrintableFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))


class Parser(argparse.ArgumentParser):
    """A usage error is one line, naming the option and the value; --help shows the usage."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="eventwire", description="Political events from news, with evidence.")
    parser.add_argument("--version", action="version", version=f"eventwire {__version__}")
    sub = parser.add_subparsers(dest="command")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    for add in (add_extract, add_ingest, add_events, add_export, add_stats, add_claims, add_check,
                add_reprocess, add_evaluate, add_serve, add_watch, add_train):
        add(sub)
    for command in sub.choices.values():       # --debug after the command too; unset, it leaves the global one
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def whole_number(low: int, high: int):
    """An argparse type: an integer from low to high, else a usage error naming the value."""
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"{value} is out of range ({low} to {high})")
        return number
    return parse


def iso_date(value: str) -> str:
    """A real calendar date, YYYY-MM-DD; anything else is a usage error, never silently ignored."""
    from .read.dates import parse_date
    if parse_date(value) is None or len(value.strip()) != 10:
        raise argparse.ArgumentTypeError(f"not a valid date (YYYY-MM-DD): {value!r}")
    return value.strip()


def model_option(p) -> None:
    p.add_argument("--model", help="spaCy pipeline: an installed package name or a path "
                                   "(default: $EVENTWIRE_MODEL, eventwire.toml, else en_core_web_sm)")


def store_address(value: str) -> str:
    """A SQLite file or a URL; an empty one is a mistake (a blank variable), never the default store."""
    if not value.strip():
        raise argparse.ArgumentTypeError("empty; give a SQLite file or a postgresql:// URL, or leave --db out")
    return value


def db_option(p) -> None:
    p.add_argument("--db", type=store_address, help="SQLite file or postgresql:// URL (default: $EVENTWIRE_DB or ./eventwire.db)")


def filter_options(p) -> None:
    p.add_argument("--actor", help="part of a source or target name")
    p.add_argument("--country", help="ISO3 country code, as source or target (see --side)")
    p.add_argument("--side", choices=("source", "target", "either"), default="either")
    p.add_argument("--type", help="PLOVER type(s), comma-separated")
    p.add_argument("--modality", help="asserted, reported, denied, planned, hypothetical, negated (comma-separated)")
    p.add_argument("--since", type=iso_date, help="first date, YYYY-MM-DD")
    p.add_argument("--until", type=iso_date, help="last date, YYYY-MM-DD")
    p.add_argument("--q", help="free text in the sentence or trigger")


def filters(args) -> dict:
    return {k: getattr(args, k) for k in ("actor", "country", "side", "type", "modality", "since", "until", "q")
            if getattr(args, k, None) is not None}


def add_extract(sub) -> None:
    p = sub.add_parser("extract", help="print the extraction of articles (no database)")
    p.add_argument("paths", nargs="+", help="files, directories, or - for standard input")
    p.add_argument("--published", type=iso_date, help="publication date YYYY-MM-DD for articles that carry none")
    p.add_argument("--format", choices=("json", "jsonl", "table"), default="json")
    p.add_argument("--jobs", type=whole_number(1, 1024), default=1)
    model_option(p)
    p.set_defaults(run=run_extract)


def run_extract(args) -> int:
    failed, documents = 0, []
    for result in api.extract_file(args.paths, published=args.published, model=args.model, jobs=args.jobs):
        if isinstance(result, (Failure, InputError)):
            say(f"eventwire: {result}", err=True)
            failed += 1
            continue
        doc = result.to_dict()
        if args.format == "jsonl":
            print(json_text(doc), flush=True)
        elif args.format == "table":
            print_document_table(doc)
        else:
            documents.append(doc)
    if args.format == "json" and documents:
        print(json_text(documents[0] if len(documents) == 1 else documents, indent=2))
    return EXIT_SOME_FAILED if failed else EXIT_OK


def print_document_table(doc: dict) -> None:
    a = doc["article"]
    say(f"# {a.get('title') or a.get('origin')}  ({a.get('published') or 'date unknown'})")
    for e in doc["events"]:
        src = (e["source"] or {}).get("name") or "-"
        tgt = (e["target"] or {}).get("name") or "-"
        say(f"  {e['type']:<10} {src:<28} -> {tgt:<28} {e['modality']:<12} {e['date'] or '':<10} {e['trigger']}")
    for q in doc["quotes"]:
        who = (q["speaker"] or {}).get("name") or "?"
        say(f"  QUOTE {q['type']:<8} {who:<28} {q['text'][:80]}")


def add_ingest(sub) -> None:
    p = sub.add_parser("ingest", help="extract articles and store them")
    p.add_argument("paths", nargs="+", help="files, directories, or - for standard input")
    db_option(p)
    p.add_argument("--jobs", type=whole_number(1, 1024), default=1, help="worker processes")
    p.add_argument("--published", type=iso_date, help="publication date YYYY-MM-DD for articles that carry none")
    p.add_argument("--cluster", help="Dask scheduler tcp://HOST:8786, or local:N for a local cluster")
    p.add_argument("--quiet", action="store_true", help="no progress display on a terminal (pipes never get one)")
    model_option(p)
    p.set_defaults(run=run_ingest)


def run_ingest(args) -> int:
    from .progress import progress_display
    progress = progress_display(args.paths, quiet=args.quiet)
    try:
        summary = ingest_with_progress(args, progress)
    finally:
        if progress:
            progress.close()
    for line in summary.lines():
        say(line, err=line.startswith("failed"))
    return EXIT_OK if summary.ok else EXIT_SOME_FAILED


def ingest_with_progress(args, progress):
    if args.cluster:
        from .scale.cluster import ingest_on_cluster
        summary = ingest_on_cluster(args.paths, db=args.db, cluster=args.cluster, model=args.model,
                                    published=args.published, progress=progress)
    else:
        summary = api.ingest(args.paths, db=args.db, model=args.model, jobs=args.jobs, published=args.published,
                             progress=progress)
    if progress:
        progress(summary)        # articles already stored end the run without a callback of their own
    return summary


def add_events(sub) -> None:
    p = sub.add_parser("events", help="list stored events")
    db_option(p)
    filter_options(p)
    p.add_argument("--limit", type=whole_number(1, SQL_INTEGER_MAX), default=50)
    p.add_argument("--offset", type=whole_number(0, SQL_INTEGER_MAX), default=0)
    p.add_argument("--sort", default="date", choices=("date", "type", "confidence", "goldstein", "id"))
    p.add_argument("--format", choices=("table", "csv", "jsonl"), default="table")
    p.set_defaults(run=run_events)


def run_events(args) -> int:
    rows = api.events(db=args.db, limit=args.limit, offset=args.offset, sort=args.sort, **filters(args))
    if args.format == "jsonl":
        for row in rows:
            print(json_text(row))
    elif args.format == "csv":
        from .export import csv_rows
        write = csv_rows(sys.stdout, list(rows[0]) if rows else list(EVENT_COLUMNS))
        for row in rows:
            write(row)
    else:
        print_table(rows, EVENT_COLUMNS)
    return EXIT_OK


def print_table(rows: list[dict], columns) -> None:
    cells = [{c: printable(r.get(c) if r.get(c) is not None else "") for c in columns} for r in rows]
    widths = {c: min(28, max([len(c)] + [len(r[c]) for r in cells])) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns))
    for r in cells:
        print("  ".join(r[c][:widths[c]].ljust(widths[c]) for c in columns))


def add_export(sub) -> None:
    from .export import FORMATS
    p = sub.add_parser("export", help="export stored events (streamed), also as GDELT, ICEWS, POLECAT or GraphML")
    db_option(p)
    filter_options(p)
    p.add_argument("--format", choices=FORMATS, default="jsonl",
                   help="eventwire's columns (csv, jsonl, parquet), a published layout (gdelt, icews, polecat), "
                        "or a network (graphml); see docs/export-formats.md")
    p.add_argument("--out", help="output file (default: standard output; parquet and graphml need one)")
    p.set_defaults(run=run_export)


def run_export(args) -> int:
    """Nothing to export or nowhere to write is a failure (1); a file is complete or not there at all."""
    import os

    from .export import ExportError
    try:
        total = api.export(db=args.db, format=args.format, out=args.out, **filters(args))
    except ExportError as e:
        say(f"eventwire: export: {e}", err=True)
        return EXIT_SOME_FAILED
    except BrokenPipeError:
        # A reader that stopped early (| head) wanted no more; quiet, and no second error when Python flushes.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as e:
        say(f"eventwire: export: {args.out or 'standard output'}: {e.strerror or e}", err=True)
        return EXIT_SOME_FAILED
    print(f"exported {total} event{'s' if total != 1 else ''}", file=sys.stderr)
    return EXIT_OK


def add_stats(sub) -> None:
    p = sub.add_parser("stats", help="counts of what the store holds")
    db_option(p)
    p.set_defaults(run=lambda a: print(json_text(api.stats(db=a.db), indent=2)))


def add_claims(sub) -> None:
    p = sub.add_parser("claims", help="claims with who asserts and who denies them")
    db_option(p)
    p.add_argument("--contested", action="store_true", help="only claims both asserted and denied")
    p.add_argument("--limit", type=whole_number(1, SQL_INTEGER_MAX), default=100)
    p.add_argument("--format", choices=("table", "jsonl"), default="table")
    p.set_defaults(run=run_claims)


def run_claims(args) -> int:
    try:
        rows = api.claims(db=args.db, contested=args.contested, limit=args.limit)
    except api.StaleClaims as e:
        say(f"eventwire: {e}", err=True)
        return EXIT_SOME_FAILED
    denials = [] if args.contested else api.unattached_denials(db=args.db, limit=args.limit)
    if args.format == "jsonl":
        for claim in rows:
            print(json_text(claim))
        for denial in denials:
            print(json_text({"unattached_denial": denial}))
        return EXIT_OK
    for claim in rows:
        print_claim(claim)
    for d in denials:
        say(f"UNATTACHED DENIAL {d['actor_name'] or '?'} ({d['actor_country'] or '-'}) "
            f"in \"{d['title'] or 'article ' + str(d['article_id'])}\": {(d['evidence'] or '')[:100]}")
    return EXIT_OK


def print_claim(claim: dict) -> None:
    flag = "CONTESTED " if claim["contested"] else ""
    days = claim["first_date"] if claim["first_date"] == claim["last_date"] else \
        f"{claim['first_date'] or '?'}..{claim['last_date'] or '?'}"
    say(f"{flag}{claim['type']} {claim['source_name'] or '?'} ({claim['source_country'] or '-'}) -> "
        f"{claim['target_name'] or '?'} ({claim['target_country'] or '-'}) {days or ''}".rstrip())
    for side in ("asserted", "denied"):
        n = claim[side]
        say(f"  {side}: {n['articles']} article{'s' * (n['articles'] != 1)}, "
            f"{n['sources']} source{'s' * (n['sources'] != 1)}")
    for s in claim["stances"]:
        say(f"    {s['stance']:<9} {s['actor_name'] or 'the article'} ({s['actor_country'] or '-'}) "
            f"in \"{s['title'] or 'article ' + str(s['article_id'])}\": {(s['evidence'] or '')[:100]}")


def add_check(sub) -> None:
    p = sub.add_parser("check", help="check the store's integrity")
    db_option(p)
    p.set_defaults(run=run_check)


def run_check(args) -> int:
    problems = api.check(db=args.db)
    for problem in problems:
        say(f"eventwire: {problem}", err=True)
    print("ok" if not problems else f"{len(problems)} problem(s)")
    return EXIT_SOME_FAILED if problems else EXIT_OK


def add_reprocess(sub) -> None:
    p = sub.add_parser("reprocess", help="re-run extraction on articles stored by an older extractor")
    db_option(p)
    model_option(p)
    p.add_argument("--all", action="store_true", help="every article, not only stale ones")
    p.set_defaults(run=lambda a: print(f"reprocessed {api.reprocess(db=a.db, model=a.model, all_articles=a.all)} "
                                       "articles"))


def add_evaluate(sub) -> None:
    p = sub.add_parser("evaluate", help="score the extractor against a gold set")
    p.add_argument("kind", choices=evaluate_kinds())
    p.add_argument("gold", help="gold JSONL file; for polnear a PolNeAR split folder (text/, attributions/), for "
                                "wikievents a WikiEvents split file (dev.jsonl), for muc a MUC-4 folder (tst3)")
    p.add_argument("--corpus", help="folder the gold set's file paths are relative to (default ../shared/corpus)")
    p.add_argument("--limit", type=whole_number(1, SQL_INTEGER_MAX),
                   help="polnear, wikievents, muc: score only the first N articles, documents or messages")
    p.add_argument("--diff", action="store_true", help="print each item's differences")
    p.add_argument("--save-baseline", action="store_true",
                   help="store these scores as the baseline the tests enforce (gold/baseline.json)")
    model_option(p)
    p.set_defaults(run=run_evaluate)


def evaluate_kinds() -> tuple[str, ...]:
    from .evaluate import KINDS
    return KINDS


def run_evaluate(args) -> int:
    from . import evaluate
    report = evaluate.evaluate(args.kind, args.gold, corpus=args.corpus, model=args.model, limit=args.limit)
    for line in report.lines(diff=args.diff):
        say(line)
    if args.save_baseline:
        say(f"baseline saved to {evaluate.save_baseline(args.gold, report, args.limit)}")
    return EXIT_OK


def add_serve(sub) -> None:
    p = sub.add_parser("serve", help="the web interface and HTTP API over a store")
    db_option(p)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=whole_number(0, 65535), default=8000)
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                   help="also answer requests for this host name (repeatable; the bound host and localhost always)")
    p.add_argument("--workers", type=whole_number(1, 64), default=1,
                   help="server processes sharing the port (default 1); each keeps its own cache of answers")
    p.set_defaults(run=run_serve)


def run_serve(args) -> int:
    from .web.app import serve
    if problem := unbindable(args.host, args.port):
        say(f"eventwire: serve: {args.host}:{args.port}: {problem}", err=True)
        return EXIT_SOME_FAILED
    serve(db=args.db, host=args.host, port=args.port, allowed_hosts=args.allow_host, workers=args.workers)
    return EXIT_OK


def unbindable(host: str, port: int) -> str | None:
    """Why the server could not listen there (in use, no such address), asked before uvicorn starts: its own
    report is several log lines and exit status 3."""
    import socket
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        return f"no such address ({e.strerror})"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as e:
            return e.strerror or str(e)
    return None


def add_watch(sub) -> None:
    p = sub.add_parser("watch", help="poll RSS/Atom feeds or a folder and ingest new articles")
    p.add_argument("sources", nargs="+", help="feed URLs or directories")
    db_option(p)
    p.add_argument("--interval", type=float, default=300.0, help="seconds between polls")
    p.add_argument("--once", action="store_true", help="poll once and stop")
    p.add_argument("--allow-network", action="append", default=[], metavar="CIDR",
                   help="also fetch from this loopback or private network (repeatable; default: public addresses only)")
    model_option(p)
    p.set_defaults(run=run_watch)


def run_watch(args) -> int:
    from .scale.feeds import watch
    watch(args.sources, db=args.db, interval=args.interval, once=args.once, model=args.model,
          allow_networks=args.allow_network)
    return EXIT_OK


def add_train(sub) -> None:
    p = sub.add_parser("train", help="rebuild a learned component from the project's annotations")
    p.add_argument("component", choices=("verifier",), help="verifier: the event verifier (data/verifier.json)")
    p.add_argument("--labels", help="annotation folder with candidates-*.jsonl and labels/ (default gold/verifier)")
    p.add_argument("--corpus", help="folder the candidates' file paths are relative to (default ../shared/corpus)")
    p.add_argument("--out", help="model file to write (default: the one eventwire ships and loads)")
    model_option(p)
    p.set_defaults(run=run_train)


def run_train(args) -> int:
    from .events.train import TrainingError
    try:
        api.train_verifier(folder=args.labels, corpus=args.corpus, out=args.out, model=args.model)
    except TrainingError as e:
        say(f"eventwire: {e}", err=True)
        return EXIT_SOME_FAILED
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
