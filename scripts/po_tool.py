"""Small helpers for scripts/i18n.sh, on Babel's own catalogue reader and writer.

    python scripts/po_tool.py fill-english PO   English catalogue: msgstr = msgid where empty
    python scripts/po_tool.py untranslated PO   list what still needs a translation (exit 0)
    python scripts/po_tool.py merge PO OTHER    add OTHER's translations that PO lacks
                                                (after a git conflict: git show :2:PO and :3:PO)
"""
import sys

from babel.messages.pofile import read_po, write_po


def _load(path):
    with open(path, "rb") as f:
        return read_po(f)


def fill_english(path):
    catalog = _load(path)
    for message in catalog:
        if not message.id:
            continue  # the header
        if isinstance(message.id, tuple):  # plural: (singular, plural)
            if not any(message.string):
                message.string = message.id
        elif not message.string:
            message.string = message.id
        message.flags.discard("fuzzy")
    with open(path, "wb") as f:
        write_po(f, catalog, width=0, sort_output=True, omit_header=False)


def untranslated(path):
    missing = [m for m in _load(path)
               if m.id and (not m.string or not all(m.string) or m.fuzzy)]
    for m in missing:
        print(f"[i18n] needs a translation in {path}: {m.id!r}")
    if not missing:
        print(f"[i18n] {path}: complete")


def merge(path, other_path):
    catalog, other = _load(path), _load(other_path)
    for message in other:
        if not message.id:
            continue
        mine = catalog.get(message.id)
        if mine is None:
            catalog[message.id] = message
        elif not mine.string and message.string:
            mine.string = message.string
    with open(path, "wb") as f:
        write_po(f, catalog, width=0, sort_output=True, omit_header=False)


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    {"fill-english": fill_english, "untranslated": untranslated,
     "merge": merge}[command](*args)
