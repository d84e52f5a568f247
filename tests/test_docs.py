"""Docs that cannot rot: the README names every CLI command, setting and saved query."""
from __future__ import annotations

from pathlib import Path

import pytest

from aigov.canned import Registry
from aigov.cli import cli
from aigov.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_cli_command_is_documented(command):
    assert f"`aigov {command}" in README


@pytest.mark.parametrize("setting", SETTINGS, ids=[s.name for s in SETTINGS])
def test_every_setting_is_documented_with_its_environment_variable(setting):
    assert f"| {setting.name} | `{setting.env}` |" in README


@pytest.mark.parametrize("name", [q.name for q in Registry.load(ROOT / "queries")])
def test_every_saved_query_is_listed(name):
    assert f"| `{name}` |" in README


def test_the_quick_start_is_two_commands():
    quick = README[README.index("## Quick start"):README.index("## Command line")]
    assert "make serve" in quick and "make test" in quick
