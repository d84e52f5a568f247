"""The build pipeline end to end on a throwaway project: skip when unchanged, deterministic output,
file:line on bad Turtle, and a failed build never replaces the last good artefact."""
from __future__ import annotations

import json

import pytest

from aigov.pipeline import build
from aigov.pipeline.artefact import read_artefact
from aigov.cli import main
from aigov.errors import ArtefactError, DataError, NotConformant
from aigov.settings import load_settings

from .conftest import copy_project

SMALL = ["source.ttl", "jurisdictions.ttl", "topics.ttl", "measures.ttl"]


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "p", SMALL)


def settings_for(project):
    return load_settings({"root": str(project), "instance": "instance"})


def test_build_writes_an_artefact_and_skips_when_nothing_changed(project):
    first = build(settings_for(project))
    assert not first.skipped
    assert first.artefact.manifest["graphs"]["inferred"]["triples"] > 0
    second = build(settings_for(project))
    assert second.skipped and second.artefact.version == first.artefact.version


def test_build_output_is_deterministic(project):
    first = build(settings_for(project)).artefact.quads_path.read_bytes()
    again = build(settings_for(project), force=True).artefact.quads_path.read_bytes()
    assert first == again


def test_broken_turtle_is_reported_with_file_and_line(project, capsys):
    bad = project / "graph" / "broken.ttl"
    bad.write_text('@prefix a: <http://x/> .\na:b a:c a:d .\n\na:e a:f "unterminated .\n', encoding="utf-8")
    code = main(["--root", str(project), "validate"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{bad}:4:" in err


def test_a_failed_build_keeps_the_last_good_artefact(project):
    good = build(settings_for(project)).artefact
    (project / "graph" / "broken.ttl").write_text("this is not turtle\n", encoding="utf-8")
    with pytest.raises(DataError):
        build(settings_for(project))
    (project / "graph" / "broken.ttl").write_text(
        "@prefix aigov: <https://w3id.org/aigov/ontology#> .\n<https://example.org/x> a aigov:Law .\n")
    with pytest.raises(NotConformant):
        build(settings_for(project))
    current = read_artefact(project / "instance")
    assert current.version == good.version
    assert current.quads_path.read_bytes() == good.quads_path.read_bytes()


def test_a_corrupted_artefact_is_refused_with_a_clear_message(project):
    artefact = build(settings_for(project)).artefact
    with artefact.quads_path.open("ab") as f:
        f.write(b"<http://x> <http://y> <http://z> .\n")
    with pytest.raises(ArtefactError, match="corrupted"):
        read_artefact(project / "instance")
    rebuilt = build(settings_for(project))  # a corrupted artefact is not "up to date": it is rebuilt
    assert not rebuilt.skipped
    assert read_artefact(project / "instance").version == rebuilt.artefact.version


def test_validate_exits_1_and_names_shape_focus_and_message_on_a_violation(project, capsys):
    (project / "graph" / "bad.ttl").write_text(
        "@prefix aigov: <https://w3id.org/aigov/ontology#> .\n<https://example.org/x> a aigov:Law .\n")
    code = main(["--root", str(project), "validate"])
    out = capsys.readouterr().out
    assert code == 1
    assert "Violation: <https://example.org/x>" in out or "Violation: https://example.org/x" in out
    assert "aigovsh:Instrument-status" in out


def test_manifest_records_inputs_counts_and_tools(project):
    manifest = json.loads((build(settings_for(project)).artefact.directory / "manifest.json").read_text())
    assert "graph/jurisdictions.ttl" in manifest["inputs"]
    assert set(manifest["graphs"]) == {"ontology", "data", "inferred"}
    assert {"rdflib", "owlrl", "pyshacl", "build-code"} <= set(manifest["tools"])
