"""CKAN plugin classes. Each interface method hands over to its module."""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from ckanext.bonos import cli, identity
from ckanext.bonos.citizen import chart_data as citizen_charts
from ckanext.bonos.citizen import formatting as citizen_formatting
from ckanext.bonos.citizen import hooks as citizen_hooks
from ckanext.bonos.citizen import views as citizen_views
from ckanext.bonos.feedback import actions as feedback_actions
from ckanext.bonos.feedback import helpers as feedback_helpers
from ckanext.bonos.feedback import ratelimit as feedback_ratelimit
from ckanext.bonos.feedback import views as feedback_views
from ckanext.bonos.pgsearch import backend
from ckanext.bonos.pgsearch import params as search_params
from ckanext.bonos.previews import views as preview_views
from ckanext.bonos.publications import choices, indexing, validators, wording
from ckanext.bonos.sync import targets as push_targets
from ckanext.bonos.sync import views as push_views
from ckanext.bonos.uploads import actions as upload_actions
from ckanext.bonos.uploads import hooks as upload_hooks
from ckanext.bonos.uploads import signals as upload_signals
from ckanext.bonos.uploads import visibility as upload_visibility


class BonosPlugin(p.SingletonPlugin, DefaultTranslation):
    """The product: social-bond publications for a CKAN portal."""
    p.implements(p.ITranslation)   # ckanext/bonos/i18n, domain ckanext-bonos
    p.implements(p.IConfigDeclaration)
    p.implements(p.IValidators)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IResourceController, inherit=True)
    p.implements(p.IActions)
    p.implements(p.IAuthFunctions)
    p.implements(p.IClick)
    p.implements(p.IBlueprint)
    p.implements(p.IConfigurer)
    p.implements(p.ISignal)

    # IConfigurer
    def update_config(self, config):
        tk.add_template_directory(config, "templates")

    # ISignal: the citizen figures follow the tables the uploads load
    def get_signal_subscriptions(self):
        return {upload_signals.table_loaded: [citizen_hooks.table_loaded],
                upload_signals.table_removed: [citizen_hooks.table_removed]}

    # IBlueprint
    def get_blueprint(self):
        return (citizen_views.get_blueprints() + feedback_views.get_blueprints()
                + push_views.get_blueprints())

    # IConfigDeclaration
    def declare_config_options(self, declaration, key):
        declaration.annotate("bonos: social-bond publications")
        declaration.declare_list(choices.PROGRAMAS_OPTION, None).set_description(
            "Programme codes offered for the `programa` field (default: the "
            "programmes ckanext-bonos knows, Bono Vida Mejor first).")
        declaration.declare_int(upload_hooks.MAX_SYNC_OPTION, 10 * 1024 * 1024).set_description(
            "Uploaded summary tables larger than this (bytes) are validated in a "
            "background job (`ckan jobs worker`) instead of during the upload.")
        declaration.declare_int(feedback_ratelimit.LIMIT_OPTION, 10).set_description(
            "Citizen reports accepted per client address per hour.")
        push_targets.declare(declaration, key)

    # IValidators
    def get_validators(self):
        return validators.get_validators()

    # ITemplateHelpers
    def get_helpers(self):
        return {
            "bonos_programa_choices": choices.programa_choices,
            "bonos_componente_choices": choices.componente_choices,
            "bonos_departamento_choices": choices.departamento_choices,
            **citizen_formatting.get_helpers(),
            **citizen_charts.get_helpers(),
            **feedback_helpers.get_helpers(),
            **wording.get_helpers(),
            **identity.get_helpers(),
            "bonos_view_title": preview_views.view_title,
            "bonos_view_frame": preview_views.view_frame,
            "bonos_filter_labels": indexing.filter_labels,
        }

    # IPackageController
    def before_dataset_index(self, pkg_dict):
        return indexing.before_dataset_index(pkg_dict)

    def after_dataset_show(self, context, pkg_dict):
        wording.after_dataset_show(pkg_dict)

    def after_dataset_search(self, search_results, search_params):
        return indexing.label_facet_items(search_results)

    def after_dataset_update(self, context, pkg_dict):
        citizen_hooks.after_dataset_update(pkg_dict)

    def after_dataset_delete(self, context, pkg_dict):
        citizen_hooks.after_dataset_delete(pkg_dict)

    # IFacets
    def dataset_facets(self, facets_dict, package_type):
        return indexing.dataset_facets(facets_dict, package_type)

    # IResourceController
    def before_resource_create(self, context, resource):
        upload_hooks.before_create(context, resource)

    def after_resource_create(self, context, resource):
        upload_hooks.after_create(context, resource)

    def before_resource_update(self, context, current, resource):
        upload_hooks.before_update(context, current, resource)

    def after_resource_update(self, context, resource):
        upload_hooks.after_update(context, resource)

    def before_resource_delete(self, context, resource, resources):
        citizen_hooks.before_resource_delete(context, resource)

    def after_resource_delete(self, context, resources):
        citizen_hooks.after_resource_delete(context)

    # IActions
    def get_actions(self):
        return {**upload_actions.get_actions(), **feedback_actions.get_actions(),
                **citizen_hooks.get_actions(), **upload_visibility.get_actions(),
                "bonos_cifras_list": citizen_views.bonos_cifras_list,
                "bonos_pagos_list": citizen_views.bonos_pagos_list}

    # IAuthFunctions
    def get_auth_functions(self):
        return {**upload_actions.get_auth_functions(), **feedback_actions.get_auth_functions(),
                "bonos_cifras_list": citizen_views.bonos_cifras_list_auth,
                "bonos_pagos_list": citizen_views.bonos_cifras_list_auth}

    # IClick
    def get_commands(self):
        return [cli.bonos]


class BonosPgSearchPlugin(p.SingletonPlugin):
    """PostgreSQL search backend: CKAN search without Solr."""
    p.implements(p.IConfigurer)
    p.implements(p.IConfigDeclaration)
    p.implements(p.IPackageController, inherit=True)

    def before_dataset_search(self, search_params_dict):
        return search_params.check(search_params_dict)

    def declare_config_options(self, declaration, key):
        declaration.annotate("bonos_pgsearch: PostgreSQL search backend")
        declaration.declare_int(key.ckanext.bonos.pgsearch.timeout_ms, 10000).set_description(
            "A search running longer than this (milliseconds) is cancelled and "
            "reported as a search error.")
        declaration.declare_int(key.ckanext.bonos.pgsearch.rebuild_workers, 2).set_description(
            "Processes that share a full `ckan search-index rebuild` (1: CKAN's "
            "own serial rebuild).")

    def update_config(self, config):
        backend.install()
        # CKAN insists on a Solr URL; with this backend it is never contacted.
        if not config.get("solr_url"):
            config["solr_url"] = backend.PLACEHOLDER_SOLR_URL


class _SummaryView:
    """IResourceView methods shared by the three summary views (see
    ckanext.bonos.previews.views); each plugin only names its view type."""
    view_type = ""

    def update_config(self, config):
        # CKAN calls update_config from the last plugin listed to the first, each
        # one putting its directory in front: `bonos` puts this same directory
        # first in line (before scheming's and the DataStore's, which it
        # overrides) unless a view plugin had already added it further back.
        if not p.plugin_loaded("bonos"):
            p.toolkit.add_template_directory(config, "templates")

    def info(self):
        return preview_views.info(self.view_type)

    def can_view(self, data_dict):
        return preview_views.can_view(self.view_type, data_dict)

    def view_template(self, context, data_dict):
        return preview_views.template_name(self.view_type)

    def setup_template_variables(self, context, data_dict):
        return preview_views.template_variables(self.view_type, data_dict)


class BonosResumenView(_SummaryView, p.SingletonPlugin):
    """Execution summary: totals, departments chart and map, places table."""
    p.implements(p.IConfigurer, inherit=True)
    p.implements(p.IResourceView, inherit=True)
    view_type = "bonos_resumen"


class BonosPagosView(_SummaryView, p.SingletonPlugin):
    """Payment history: timeline by month or cycle, modality and status."""
    p.implements(p.IConfigurer, inherit=True)
    p.implements(p.IResourceView, inherit=True)
    view_type = "bonos_pagos"


class BonosIndicadoresView(_SummaryView, p.SingletonPlugin):
    """Indicators: a card per indicator, value against target, trend."""
    p.implements(p.IConfigurer, inherit=True)
    p.implements(p.IResourceView, inherit=True)
    view_type = "bonos_indicadores"


class BonosDCATPlugin(p.SingletonPlugin):
    """The DCAT-AP catalogue's routes for `bono` (with ckanext-dcat's `dcat`
    plugin and ckanext.dcat.rdf.profiles = bonos_dcat_ap_3)."""
    p.implements(p.IBlueprint)

    def get_blueprint(self):
        from ckanext.bonos.dcat import views as dcat_views
        return dcat_views.get_blueprints()


class BonosNacionalPlugin(p.SingletonPlugin):
    """For a national portal that harvests this one with ckanext-dcat's
    dcat_rdf_harvester: an unchanged publication is not rewritten."""
    from ckanext.dcat.interfaces import IDCATRDFHarvester
    p.implements(IDCATRDFHarvester, inherit=True)

    def before_update(self, harvest_object, dataset_dict, temp_dict):
        from ckanext.bonos.dcat import nacional
        nacional.skip_unchanged(harvest_object, dataset_dict)
