"""What the uploads announce, through CKAN's signals (``ckan.lib.signals``,
blinker), for whoever keeps something derived from a loaded table (the citizen
figures subscribe in plugin.py). Both are sent after CKAN has committed the
resource, with the resource id as sender.

- ``table_loaded``: a valid summary table is in the DataStore
  (keyword arguments ``package_id`` and ``tabla``);
- ``table_removed``: the resource's table is no longer valid data (no longer a
  summary table, or waiting for its validation).
"""
from __future__ import annotations

from ckan.lib import signals

table_loaded = signals.ckanext.signal(
    "bonos_table_loaded", doc="A valid summary table was loaded into the DataStore.")
table_removed = signals.ckanext.signal(
    "bonos_table_removed", doc="A resource's table is no longer valid data.")
