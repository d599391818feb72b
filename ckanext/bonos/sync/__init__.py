"""Push SEDIS publications to other CKAN portals (the national open-data portal).

    ckan bonos push [--target NAME] [--dry-run] [--dataset NAME] [--json]

targets.py (configuration), source.py (what is public and valid here),
mapping.py (bonos / ckan modes, names, provenance, hashes), client.py (the
target's Action API with retries), push.py (the run), reports.py (stored
reports), views.py (the sysadmin page /ckan-admin/bonos-push). README.md in
this folder explains the choices for administrators.
"""
