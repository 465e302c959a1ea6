"""cmake --install puts an importable package under the prefix."""
import os
import subprocess
import sys

import pytest


def test_install_into_a_prefix(tmp_path):
    build, where, cmake = (os.environ.get(k) for k in ("PBIT_BINARY_DIR", "PBIT_PYTHON_INSTALL_DIR", "PBIT_CMAKE"))
    if not (build and where and cmake):
        pytest.skip("run through ctest (PBIT_BINARY_DIR, PBIT_PYTHON_INSTALL_DIR, PBIT_CMAKE)")
    prefix = tmp_path / "prefix"
    subprocess.run([cmake, "--install", build, "--prefix", str(prefix), "--component", "python"], check=True,
                   capture_output=True)
    site = prefix / where
    assert sorted(os.listdir(site / "pbit"))[:3] == ["__init__.py", "_ising.py", "_networkx.py"]
    code = ("import pbit, sys; "
            "assert pbit.__file__.startswith(sys.argv[1]), pbit.__file__; "
            "r = pbit.sample(pbit.Problem.random('chimera:1'), sweeps=10, chains=2); "
            "print(r.states.shape)")
    env = dict(os.environ, PYTHONPATH=str(site))
    p = subprocess.run([sys.executable, "-c", code, str(site)], capture_output=True, text=True, env=env,
                       cwd=str(tmp_path))
    assert p.returncode == 0, p.stderr
    assert p.stdout == "(2, 8)\n"
