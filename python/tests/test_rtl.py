"""The rtl backend from Python: the Verilator + SystemC model, bit for bit ref."""
import shutil

import numpy as np
import pytest

import pbit

pytestmark = pytest.mark.skipif(shutil.which("verilator") is None, reason="verilator is not installed")


def test_rtl_is_ref_bit_for_bit():
    # chimera:2 with the default spec: the model the C++ rtl-sim tests build (cached, shared)
    p = pbit.Problem.random("chimera:2", couplings="gauss:2", fields="gauss:1", seed=21)
    kw = dict(beta=0.7, sweeps=200, burn_in=10, chains=3, seed=1234)
    ref = pbit.sample(p, "ref", **kw)
    rtl = pbit.sample(p, "rtl", **kw)
    assert rtl.backend == "rtl"
    assert np.array_equal(rtl.states, ref.states)
    assert np.array_equal(rtl.means, ref.means) and np.array_equal(rtl.correlations, ref.correlations)


def test_one_simulated_board_per_process():
    p = pbit.Problem.random("chimera:2", seed=1)
    with pbit.Sampler("rtl") as s:
        s.load(p)
        with pytest.raises(pbit.Error, match="in use by another sampler"):
            pbit.Sampler("rtl").load(p)
    with pytest.raises(pbit.Error, match="another board"):
        pbit.Sampler("rtl").load(pbit.Problem.random("chimera:1"))
    with pbit.Sampler("rtl") as s:  # released by the with block: usable again
        s.load(p)
        s.configure(chains=2, seed=3)
        s.run(5)
        assert s.stats().samples == 10
