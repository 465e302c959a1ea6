"""The README's Python example runs as written and prints what the README shows."""
import os
import re
import subprocess
import sys

from conftest import SOURCE_DIR

import pbit


def readme_python_section():
    text = open(os.path.join(SOURCE_DIR, "README.md"), encoding="utf-8").read()
    m = re.search(r"^## Python\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert m, "README.md has no '## Python' section"
    return m.group(1)


def test_readme_example_runs_and_prints_its_output(tmp_path):
    section = readme_python_section()
    blocks = re.findall(r"```(\w*)\n(.*?)```", section, re.S)
    code = [b for kind, b in blocks if kind == "python"]
    shown = [b for kind, b in blocks if kind == "text"]
    assert code and shown, "the Python section needs a ```python example and its ```text output"
    script = tmp_path / "example.py"
    script.write_text(code[0])
    # the same pbit as this test's, from another directory
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(os.path.abspath(pbit.__file__))))
    p = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=str(tmp_path), env=env)
    assert p.returncode == 0, p.stderr
    assert p.stdout == shown[0]
