"""Swedish formatting (`uiv_core.publish.swedish`): the examples of its docstring, and the edges."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd

from uiv_core.publish import swedish


def test_the_docstring_examples_hold():
    failed, tried = doctest.testmod(swedish)
    assert tried >= 3 and failed == 0


def test_every_kind_of_missing_value_is_two_dots():
    for value in (None, float("nan"), np.nan, pd.NA):
        assert swedish.number(value) == ".." and swedish.count(value) == ".."
    assert swedish.interval(1.0, None) == ".." and swedish.interval(None, 2.0) == ".."


def test_negative_numbers_carry_a_real_minus_and_decimals_can_be_chosen():
    assert swedish.number(-0.05, "mean") == "−0,05"
    assert swedish.number(5.8, decimals=0) == "6 %"
    assert swedish.count(1234567) == "1 234 567"


def test_a_period_reads_the_same_everywhere():
    assert swedish.period_in_sentence("2025Q1") == "rullande fyra kvartal 2024Q2–2025Q1"
    assert swedish.period_in_sentence(None) == "ingen period ännu"
    assert swedish.quarters_of("2025Q4") == "2025Q1–2025Q4"
