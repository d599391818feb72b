"""Preview views of the summary tables (IResourceView), rendered on the server.

One module per view shapes its data (``resumen``, ``pagos``,
``indicadores``); ``loading`` is shared: resource state, DataStore columns,
aggregation cached in Redis. ``views`` holds what the three plugin classes
in plugin.py hand over to.
"""
