"""CKAN plugin classes. Each interface method hands over to its module."""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk


class BonosPlugin(p.SingletonPlugin):
    """The product: social-bond publications for a CKAN portal."""
    p.implements(p.IConfigurer)

    def update_config(self, config):
        tk.add_template_directory(config, "templates")


class BonosPgSearchPlugin(p.SingletonPlugin):
    """PostgreSQL search backend: CKAN search without Solr."""
    p.implements(p.IConfigurer)
    p.implements(p.IConfigDeclaration)

    def declare_config_options(self, declaration, key):
        declaration.annotate("bonos_pgsearch: PostgreSQL search backend")
        declaration.declare_int(key.ckanext.bonos.pgsearch.timeout_ms, 10000).set_description(
            "A search running longer than this (milliseconds) is cancelled and "
            "reported as a search error.")

    def update_config(self, config):
        from ckanext.bonos.pgsearch import backend
        backend.install()
        # CKAN insists on a Solr URL; with this backend it is never contacted.
        if not config.get("solr_url"):
            config["solr_url"] = backend.PLACEHOLDER_SOLR_URL
