"""The `agentry` command runs numpy's BLAS on one thread unless the environment names another number."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from agentry.entrypoints.cli import main


def test_the_command_sets_one_blas_thread_when_the_environment_names_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    assert CliRunner().invoke(main, ["graphql", "schema"]).exit_code == 0
    assert os.environ["OPENBLAS_NUM_THREADS"] == "1"


def test_the_operators_number_of_blas_threads_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "4")
    assert CliRunner().invoke(main, ["graphql", "schema"]).exit_code == 0
    assert os.environ["OPENBLAS_NUM_THREADS"] == "4"
