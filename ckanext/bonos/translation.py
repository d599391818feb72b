"""Small gettext helpers shared by the modules (catalogues in i18n/)."""
from __future__ import annotations

import functools
import os

from babel.support import Translations

I18N_DIR = os.path.join(os.path.dirname(__file__), "i18n")
DOMAIN = "ckanext-bonos"
LOCALES = ("es", "en")


def page_lang(default: str = "es") -> str:
    """The language of the page being rendered; Spanish, the portal's own,
    outside a request (API calls from the CLI, background jobs)."""
    import ckan.plugins.toolkit as tk
    try:
        return tk.h.lang() or default
    except Exception:   # no request, or no app yet
        return default


def N_(message: str) -> str:
    """Marks a string for the catalogue; it is translated where it is shown."""
    return message


@functools.lru_cache(maxsize=256)
def every_translation(message: str) -> frozenset:
    """``message`` and its translation in each catalogue: to recognise a text
    that was stored in whatever language was current when it was written."""
    found = {message}
    for locale in LOCALES:
        found.add(Translations.load(I18N_DIR, [locale], DOMAIN).gettext(message))
    return frozenset(found)
