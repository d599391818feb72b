"""Reading and checking ``manifest.json`` (format: README.md). No CKAN calls.

A broken manifest as a whole (not JSON, no organization...) raises
``ManifestError``. A broken publication entry is kept with its problems in
``Publication.problems`` so that the importer can report it and go on with
the others.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

from ckan.lib.munge import munge_filename

MANIFEST = "manifest.json"
VERSION = 1
DEFAULT_TYPE = "bono"

#: Dataset keys a manifest may not set: the importer owns them.
RESERVED_DATASET_KEYS = frozenset({"id", "owner_org", "state", "organization",
                                   "extras", "tag_string", "groups"})
#: Resource keys a manifest may not set: they come from the file.
RESERVED_RESOURCE_KEYS = frozenset({"id", "url", "url_type", "upload", "package_id",
                                    "sha256", "size", "mimetype", "last_modified"})
FORMATS = {".csv": "CSV", ".json": "JSON", ".xlsx": "XLSX", ".pdf": "PDF", ".txt": "TXT"}


class ManifestError(Exception):
    """The manifest cannot be used at all."""


@dataclass
class Resource:
    file: str                   # as written in the manifest (relative path)
    path: Optional[Path]        # resolved, inside the folder; None if unusable
    fields: Dict[str, Any]      # name, format, tabla, description and any others

    @property
    def upload_name(self) -> str:
        """The file name CKAN stores (and shows at the end of the download URL)."""
        return munge_filename(os.path.basename(self.file))

    def sha256(self) -> str:
        digest = hashlib.sha256()
        with open(self.path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()


@dataclass
class Publication:
    name: str
    fields: Dict[str, Any]      # dataset fields, without resources (tags as a list)
    resources: List[Resource] = field(default_factory=list)
    problems: List[str] = field(default_factory=list)


@dataclass
class Manifest:
    folder: Path
    organization: Dict[str, Any]
    publications: List[Publication]


def load(folder) -> Manifest:
    folder = Path(folder).resolve()
    path = folder / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError("No hay %s en %s / no %s in %s" % (MANIFEST, folder, MANIFEST, folder))
    except (ValueError, UnicodeDecodeError) as e:
        raise ManifestError("%s no es JSON válido / is not valid JSON: %s" % (path, e))
    if not isinstance(data, dict):
        raise ManifestError("%s: se esperaba un objeto / an object was expected" % path)
    version = data.get("manifest_version", VERSION)
    if version != VERSION:
        raise ManifestError("manifest_version %r no soportada / not supported (only %d)"
                            % (version, VERSION))
    org = data.get("organization")
    if not isinstance(org, dict) or not isinstance(org.get("name"), str) or not org["name"]:
        raise ManifestError("organization.name es obligatorio / is required")
    pubs = data.get("publications")
    if not isinstance(pubs, list):
        raise ManifestError("publications debe ser una lista / must be a list")

    publications = []
    seen = set()
    for n, entry in enumerate(pubs, start=1):
        pub = _publication(folder, entry, n)
        if pub.name in seen:
            pub.problems.append("nombre repetido en el manifiesto / name repeated in the manifest")
        seen.add(pub.name)
        publications.append(pub)
    return Manifest(folder, dict(org), publications)


def _publication(folder: Path, entry: Any, n: int) -> Publication:
    if not isinstance(entry, dict):
        return Publication("#%d" % n, {}, [], ["no es un objeto / not an object"])
    name = entry.get("name")
    if not isinstance(name, str) or not name:
        return Publication("#%d" % n, {}, [], ["falta name / name is missing"])
    pub = Publication(name, {})
    for key, value in entry.items():
        if key == "resources":
            continue
        if key in RESERVED_DATASET_KEYS:
            pub.problems.append("el campo %r lo fija el importador / %r is set by the importer"
                                % (key, key))
            continue
        pub.fields[key] = value
    pub.fields.setdefault("type", DEFAULT_TYPE)
    tags = pub.fields.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        pub.problems.append("tags debe ser una lista de textos / tags must be a list of strings")

    resources = entry.get("resources", [])
    if not isinstance(resources, list):
        pub.problems.append("resources debe ser una lista / resources must be a list")
        resources = []
    names = set()
    for m, res in enumerate(resources, start=1):
        resource = _resource(folder, res, pub, m)
        if resource is None:
            continue
        if resource.upload_name in names:
            pub.problems.append("%s: otro recurso tiene el mismo nombre de archivo / another "
                                "resource has the same file name" % resource.file)
        names.add(resource.upload_name)
        pub.resources.append(resource)
    return pub


def _resource(folder: Path, res: Any, pub: Publication, m: int) -> Optional[Resource]:
    if not isinstance(res, dict) or not isinstance(res.get("file"), str) or not res["file"]:
        pub.problems.append("recurso %d: falta file / resource %d: file is missing" % (m, m))
        return None
    rel = res["file"]
    fields = {}
    for key, value in res.items():
        if key == "file":
            continue
        if key in RESERVED_RESOURCE_KEYS:
            pub.problems.append("%s: el campo %r lo fija el importador / %r is set by the "
                                "importer" % (rel, key, key))
            continue
        fields[key] = value
    fields.setdefault("name", os.path.basename(rel))
    fields.setdefault("format", FORMATS.get(os.path.splitext(rel)[1].lower(), ""))
    path = _inside(folder, rel)
    if path is None:
        pub.problems.append("%s: la ruta debe ser relativa y quedar dentro de la carpeta / the "
                            "path must be relative and stay inside the folder" % rel)
    elif not path.is_file():
        pub.problems.append("%s: no existe el archivo / file not found" % rel)
        path = None
    return Resource(rel, path, fields)


def _inside(folder: Path, rel: str) -> Optional[Path]:
    """``folder/rel`` resolved, or None if ``rel`` is absolute or leads outside."""
    if os.path.isabs(rel) or "\\" in rel:
        return None
    path = (folder / rel).resolve()
    try:
        path.relative_to(folder)
    except ValueError:
        return None
    return path
