"""The wheel is the product: building it also builds the knowledge graph and ships it inside the package.

``build_py`` runs the real pipeline (load, validate, reason, artefact) from this source tree and copies the
artefact (kg.nq + manifest.json) and the saved queries into ``aigov/bundle/``, where an installed ``aigov serve``
finds them when it is not run from a checkout (see ``aigov.bundle``). Editable installs skip this: a checkout
builds into ``instance/`` with ``aigov build``. Everything else about the package is in pyproject.toml.
"""
import shutil
import sys
import tempfile
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithGraph(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        sys.path.insert(0, str(HERE / "server"))
        from aigov.pipeline import build
        from aigov.settings import load_settings

        bundle = Path(self.build_lib) / "aigov" / "bundle"
        shutil.rmtree(bundle, ignore_errors=True)
        with tempfile.TemporaryDirectory() as tmp:
            result = build(load_settings({"root": str(HERE), "instance": tmp}), force=True)
            current = bundle / "instance" / "current"
            current.mkdir(parents=True)
            for name in ("kg.nq", "manifest.json"):
                shutil.copy2(result.artefact.directory / name, current / name)
        shutil.copytree(HERE / "queries", bundle / "queries")


setup(cmdclass={"build_py": BuildWithGraph})
