"""Shared fixtures: the CLI (build/pbit) for bit-identity checks."""
import json
import os
import subprocess

import pytest

SOURCE_DIR = os.environ.get("PBIT_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))


def _cli_path():
    path = os.environ.get("PBIT_CLI")
    if not path:
        path = os.path.join(SOURCE_DIR, "build", "pbit")
    return path


class Cli:
    """Runs build/pbit; json() parses its --json output, fail() returns its error line."""

    def __init__(self, path):
        self.path = path

    def run(self, *args, check=True, cwd=None):
        p = subprocess.run([self.path, *map(str, args)], capture_output=True, text=True, cwd=cwd)
        if check and p.returncode != 0:
            raise AssertionError("pbit %s failed (%d): %s" % (" ".join(map(str, args)), p.returncode, p.stderr))
        return p

    def json(self, *args, cwd=None):
        return json.loads(self.run(*args, "--json", cwd=cwd).stdout)

    def error(self, *args):
        """The message of `pbit: error: MESSAGE` for a command that must fail with status 1."""
        p = self.run(*args, check=False)
        assert p.returncode == 1, (p.returncode, p.stderr)
        line = p.stderr.strip().splitlines()[-1]
        assert line.startswith("pbit: error: "), line
        return line[len("pbit: error: "):]


@pytest.fixture(scope="session")
def cli():
    path = _cli_path()
    if not os.path.exists(path):
        pytest.fail("the pbit CLI is not at %s (set PBIT_CLI)" % path)
    return Cli(path)
