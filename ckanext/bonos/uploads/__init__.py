"""Uploaded summary tables: checked before they are stored, then loaded.

hooks.py      resource_create/update: validate the file, refuse bad ones
reports.py    the stored report of each resource's last validation
datastore.py  valid rows into CKAN's DataStore, with column types
jobs.py       large files: validation and loading in a background job
actions.py    the bonos_validacion_show action and its auth
"""
