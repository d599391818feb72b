"""Build step that pyproject.toml cannot express: compile the gettext catalogues.

Everything else (metadata, dependencies, entry points, package data) is in
pyproject.toml. The .mo files are build output, not kept in git: a wheel gets
them compiled from ckanext/bonos/i18n/*/LC_MESSAGES/*.po, and an editable
install (`pip install -e .`) gets them next to the .po files, so that a portal
shows the extension's Spanish strings however it was installed.
"""
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

CATALOGUES = "ckanext/bonos/i18n/*/LC_MESSAGES/*.po"


class BuildPyWithCatalogues(build_py):
    def run(self):
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in sorted(Path(__file__).parent.glob(CATALOGUES)):
            relative = po.relative_to(Path(__file__).parent).with_suffix(".mo")
            mo = po.with_suffix(".mo") if self.editable_mode else Path(self.build_lib) / relative
            with po.open("rb") as f:
                catalog = read_po(f, locale=po.parts[-3])
            errors = [(m.id, e) for m, errs in catalog.check() for e in errs]
            if errors:
                raise SystemExit("%s: %d bad messages, e.g. %r" % (po, len(errors), errors[0]))
            mo.parent.mkdir(parents=True, exist_ok=True)
            with mo.open("wb") as f:
                write_mo(f, catalog)


setup(cmdclass={"build_py": BuildPyWithCatalogues})
