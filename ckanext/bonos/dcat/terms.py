"""Vocabularies the catalogue and the push share."""
from __future__ import annotations

EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
SPDX_SHA256 = "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"

# frecuencia -> EU frequency authority (DCAT-AP) and ISO 8601 repeating interval
# (datos.gob.hn's `frequency`).
FRECUENCIAS = {
    "mensual": ("MONTHLY", "R/P1M"),
    "trimestral": ("QUARTERLY", "R/P3M"),
    "semestral": ("ANNUAL_2", "R/P6M"),
    "anual": ("ANNUAL", "R/P1Y"),
}
# The rest of the EU authority a national portal may meet, to ISO 8601.
EU_TO_ISO = {
    "CONT": "R/PT1S", "HOURLY": "R/PT1H", "DAILY": "R/P1D", "WEEKLY": "R/P1W",
    "BIWEEKLY": "R/P2W", "MONTHLY": "R/P1M", "BIMONTHLY": "R/P2M",
    "QUARTERLY": "R/P3M", "ANNUAL_2": "R/P6M", "ANNUAL": "R/P1Y",
    "IRREG": "on-demand", "UNKNOWN": "on-demand",
}


def eu_frequency(frecuencia: str | None) -> str | None:
    pair = FRECUENCIAS.get(frecuencia or "")
    return EU_FREQUENCY + pair[0] if pair else None


def iso_frequency(frecuencia: str | None) -> str | None:
    pair = FRECUENCIAS.get(frecuencia or "")
    return pair[1] if pair else None


def frecuencia_of_eu(uri: str | None) -> str | None:
    code = (uri or "").rsplit("/", 1)[-1]
    return next((k for k, (eu, _) in FRECUENCIAS.items() if eu == code), None)


def iso_of_eu(uri: str | None) -> str | None:
    return EU_TO_ISO.get((uri or "").rsplit("/", 1)[-1])
