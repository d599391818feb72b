"""Field-error messages: in the page's language on the web; Spanish and English
("es / en") in API answers, which have no page language.

Import this ``_`` as the module's gettext: string extraction (babel.cfg) looks
for calls named ``_``, so the messages still reach the catalogues.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk


def _api_request() -> bool:
    try:
        return tk.request.path.startswith("/api/")
    except (RuntimeError, AttributeError, TypeError):
        return False


def _(msgid: str) -> str:
    if not _api_request():
        return tk._(msgid)
    from flask_babel import force_locale
    texts = []
    for locale in ("es", "en"):
        with force_locale(locale):
            texts.append(tk._(msgid))
    return texts[0] if texts[0] == texts[1] else " / ".join(texts)
