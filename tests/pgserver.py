"""A real, throwaway PostgreSQL server for tests: initdb + pg_ctl into a temporary folder, loopback only.

Import the fixtures into a test module (`from pgserver import postgres_server, postgres_url`); tests that
need the server skip with a reason when PostgreSQL's server binaries are not installed (fail under CI=true,
see conftest.missing). Binaries that are installed but give no running server fail the tests everywhere.
"""
from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import missing

FALLBACK_BINDIR = "/usr/lib/postgresql/15/bin"
SERVER_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off", "max_connections=60")
_databases = itertools.count(1)


def bindir() -> Path | None:
    """Where initdb and pg_ctl are: `pg_config --bindir`, else Debian's PostgreSQL 15 folder."""
    candidates = []
    if shutil.which("pg_config"):
        found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False)
        candidates.append(found.stdout.strip())
    candidates.append(FALLBACK_BINDIR)
    for folder in candidates:
        if folder and (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    return None


def server_user() -> str | None:
    """PostgreSQL refuses to run as root: as root, the `postgres` system user (else `nobody`) runs it."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("running as root and no postgres or nobody user to run PostgreSQL as")


def as_user(user: str | None, command: list[str]) -> list[str]:
    return command if user is None else ["runuser", "-u", user, "--", *command]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """One server in its own folder; `url(name)` points at a database on it."""

    def __init__(self, binaries: Path):
        self.binaries = binaries
        self.user = server_user()
        self.root = Path(tempfile.mkdtemp(prefix="eventwire-pg-"))
        self.data, self.sockets, self.log = self.root / "data", self.root / "sockets", self.root / "server.log"
        self.port = free_port()

    def run(self, *command: str) -> None:
        result = subprocess.run(as_user(self.user, list(command)), capture_output=True, text=True, timeout=120,
                                check=False)
        if result.returncode != 0:
            raise RuntimeError(f"{Path(command[0]).name} failed: {result.stderr.strip() or result.stdout.strip()}")

    def start(self) -> PostgresServer:
        self.sockets.mkdir()
        if self.user:
            shutil.chown(self.root, self.user)
            shutil.chown(self.sockets, self.user)
        self.run(str(self.binaries / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                 "-E", "UTF8", "--locale=C", "--no-sync")
        options = f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 " + " ".join(
            f"-c {setting}" for setting in SERVER_SETTINGS)
        self.run(str(self.binaries / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options,
                 "-w", "-t", "60", "start")
        return self

    def stop(self) -> None:
        try:
            self.run(str(self.binaries / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str | None = None) -> str:
        """A new empty database; its URL."""
        import psycopg
        name = name or f"test_{next(_databases)}"
        with psycopg.connect(self.url(), autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def start_server() -> PostgresServer:
    """A running server; absent binaries are `missing`, and a server that will not start is a failure."""
    binaries = bindir()
    if binaries is None:
        missing("PostgreSQL server binaries not found (pg_config --bindir, or " + FALLBACK_BINDIR + ")")
    server = PostgresServer(binaries)
    try:
        return server.start()
    except (RuntimeError, OSError, subprocess.SubprocessError) as e:
        shutil.rmtree(server.root, ignore_errors=True)
        # Installed binaries that cannot start a server are a broken setup, never a reason to skip.
        pytest.fail(f"PostgreSQL could not be started: {e}", pytrace=False)


_shared: dict = {"server": None, "users": 0}


@pytest.fixture(scope="session")
def postgres_server():
    """One server for the whole test session, shared by every module that imports this fixture."""
    if _shared["server"] is None:
        _shared["server"] = start_server()
    _shared["users"] += 1
    yield _shared["server"]
    _shared["users"] -= 1
    if _shared["users"] == 0:
        _shared["server"].stop()
        _shared["server"] = None


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """A fresh, empty database for one test."""
    return postgres_server.create_database()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> str:
    """An empty store's address, once as a SQLite file and once as a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return request.getfixturevalue("postgres_url")
