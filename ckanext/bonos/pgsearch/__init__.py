"""PostgreSQL search backend: CKAN's Solr connection, answered by PostgreSQL.

See connection.py for the idea, backend.py for how it is switched on.
"""
