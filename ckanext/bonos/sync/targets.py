"""Push targets, read from the CKAN configuration.

    ckanext.bonos.push.targets = nacional
    ckanext.bonos.push.target.nacional.url = https://datos.gob.hn
    ckanext.bonos.push.target.nacional.token_env = BONOS_PUSH_TOKEN_NACIONAL
    ckanext.bonos.push.target.nacional.organization = sedis
    ckanext.bonos.push.target.nacional.prefix = sedis-
    ckanext.bonos.push.target.nacional.mode = ckan          # or bonos
    ckanext.bonos.push.target.nacional.resources = upload   # or link
    ckanext.bonos.push.target.nacional.withdraw = delete    # or private
    ckanext.bonos.push.target.nacional.timeout = 30         # seconds per call
    ckanext.bonos.push.target.nacional.retries = 4          # after the first try
    ckanext.bonos.push.target.nacional.fields = fuente=unidad_responsable idioma="es"
                                             # extra fields of the target's schema
                                             # (schema_fit.py; mode ckan)

The token itself is never in the configuration: only the name of the
environment variable that holds it.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

from ckan.common import config

TARGETS_OPTION = "ckanext.bonos.push.targets"
PREFIX = "ckanext.bonos.push.target.%s.%s"
MODES = ("bonos", "ckan")
RESOURCE_MODES = ("upload", "link")
WITHDRAW_MODES = ("delete", "private")
_NAME = re.compile(r"^[a-z0-9_-]{1,40}$")


class TargetError(Exception):
    """A target is missing or misconfigured (the message names the setting)."""


@dataclass(frozen=True)
class Target:
    name: str
    url: str
    token_env: str
    organization: str
    prefix: str
    mode: str = "ckan"
    resources: str = "upload"
    withdraw: str = "delete"
    timeout: float = 30.0
    retries: int = 4
    backoff: float = 0.5     # first wait; doubles each retry, capped at 8 s
    fields: str = ""         # field map for the target's schema (schema_fit.py)

    @property
    def token(self) -> str:
        value = os.environ.get(self.token_env, "").strip()
        if not value:
            raise TargetError(
                "La variable de entorno %s (token de la API del destino %s) está vacía. / "
                "Environment variable %s (API token of target %s) is empty."
                % (self.token_env, self.name, self.token_env, self.name))
        return value


def _option(name: str, key: str, required: bool = True, default=None):
    value = config.get(PREFIX % (name, key))
    if value in (None, ""):
        if required:
            raise TargetError("Falta %s. / %s is missing." % ((PREFIX % (name, key),) * 2))
        return default
    return str(value).strip()


def _choice(name: str, key: str, allowed, default: str) -> str:
    value = _option(name, key, required=False, default=default)
    if value not in allowed:
        setting = PREFIX % (name, key)
        raise TargetError("%s = %r: debe ser %s. / %s = %r: must be %s."
                          % (setting, value, " o ".join(allowed),
                             setting, value, " or ".join(allowed)))
    return value


def _number(name: str, key: str, kind, default):
    value = _option(name, key, required=False, default=default)
    try:
        number = kind(value)
        if number < 0:
            raise ValueError
        return number
    except (TypeError, ValueError):
        setting = PREFIX % (name, key)
        raise TargetError("%s = %r: debe ser un número positivo. / must be a positive number."
                          % (setting, value))


def names() -> list[str]:
    value = config.get(TARGETS_OPTION) or []
    if isinstance(value, str):
        value = value.split()
    return list(value)


def get(name: str) -> Target:
    if name not in names():
        raise TargetError(
            "Destino desconocido %r (configurados: %s). / Unknown target %r (configured: %s)."
            % (name, ", ".join(names()) or "-", name, ", ".join(names()) or "-"))
    if not _NAME.match(name):
        raise TargetError("Nombre de destino no válido: %r. / Invalid target name: %r."
                          % (name, name))
    url = _option(name, "url").rstrip("/")
    if not re.match(r"^https?://", url):
        raise TargetError("%s debe empezar por http:// o https://. / must start with "
                          "http:// or https://." % (PREFIX % (name, "url")))
    prefix = _option(name, "prefix", required=False, default="")
    if prefix and not re.match(r"^[a-z0-9_-]{1,40}$", prefix):
        raise TargetError("%s: solo minúsculas, cifras, - y _. / only lowercase letters, "
                          "digits, - and _." % (PREFIX % (name, "prefix")))
    fields = _option(name, "fields", required=False, default="")
    from .schema_fit import FieldMapError, parse_field_map
    try:
        parse_field_map(fields)
    except FieldMapError as e:
        raise TargetError("%s: %s" % (PREFIX % (name, "fields"), e))
    return Target(
        name=name, url=url, fields=fields,
        token_env=_option(name, "token_env"),
        organization=_option(name, "organization"),
        prefix=prefix,
        mode=_choice(name, "mode", MODES, "ckan"),
        resources=_choice(name, "resources", RESOURCE_MODES, "upload"),
        withdraw=_choice(name, "withdraw", WITHDRAW_MODES, "delete"),
        timeout=_number(name, "timeout", float, 30.0),
        retries=_number(name, "retries", int, 4),
        backoff=_number(name, "backoff", float, 0.5),
    )


def all_targets() -> list[Target]:
    if not names():
        raise TargetError("No hay destinos: configure %s. / No targets: set %s."
                          % (TARGETS_OPTION, TARGETS_OPTION))
    return [get(n) for n in names()]


def declare(declaration, key) -> None:
    declaration.annotate("bonos: push to other CKAN portals (ckan bonos push)")
    declaration.declare_list(TARGETS_OPTION, []).set_description(
        "Names of the portals publications are pushed to; each one is set up with "
        "ckanext.bonos.push.target.<name>.url, token_env, organization, prefix, "
        "mode (bonos|ckan), resources (upload|link), withdraw (delete|private), "
        "timeout, retries, backoff, fields (target field=publication field or "
        "=\"constant\", for the target's scheming schema).")
