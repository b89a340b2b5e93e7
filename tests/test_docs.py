"""The README cannot drift: every command and option it shows exists, and CI runs its test command."""
import re
import shlex
from pathlib import Path

import pytest

from eventwire.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def readme_command_lines() -> list[list[str]]:
    lines = [line.strip() for line in README.splitlines()
             if line.startswith("    ") and line.strip().startswith(("eventwire ", "cat "))]
    out = []
    for line in lines:
        words = shlex.split(line.split("#")[0])
        if "eventwire" in words:
            out.append(words[words.index("eventwire") + 1:])
    return out


def subcommands() -> dict:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return action.choices


@pytest.mark.parametrize("words", readme_command_lines(), ids=lambda w: " ".join(w)[:40])
def test_every_readme_command_parses(words):
    commands = subcommands()
    assert words[0] in commands, f"README shows 'eventwire {words[0]}', which does not exist"
    options = {s for a in commands[words[0]]._actions for s in a.option_strings}
    for word in words[1:]:
        if word.startswith("--"):
            assert word.split("=")[0] in options, f"README shows {word} for 'eventwire {words[0]}'"


def test_every_command_is_documented():
    for name in subcommands():
        assert f"eventwire {name}" in README, f"'eventwire {name}' is not in the README"


def test_the_two_commands_are_make_targets_and_ci_runs_the_test_one():
    assert "    make sample\n" in README and "    make test\n" in README
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^sample:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_ci_runs_the_slow_tests_with_ci_true_as_the_readme_says():
    ci = (ROOT / ".ci" / "run").read_text()
    commands = [line.strip() for line in ci.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert "export CI=true" in commands and "make test-slow" in commands
    assert commands.index("export CI=true") < commands.index("make test") < commands.index("make test-slow")
    assert re.search(r"^test-slow:.*\n(\t.*\n)*\t.*pytest.* -m slow$", (ROOT / "Makefile").read_text(), re.M)
    assert "`make test-slow`" in README and "all with `CI=true`" in README
