"""For a national portal that pulls this one with ckanext-harvest's CKAN
harvester: the same harvester, and a publication withdrawn here (made
private, deleted) is withdrawn there too.

ckanext-harvest 1.6's ``ckan_harvester`` only adds and updates: its gather
stage asks the remote for what changed since the last run, and a dataset
that left the remote's search is never asked about again. This harvester
(plugin ``bonos_ckan_harvester``, source type ``bonos_ckan``) runs that same
gather, then lists the ids the remote still publishes (with the source's
organization and group filters) and flags every dataset of the source that is
no longer among them for deletion, as ckanext-dcat's RDF harvester does with
what left a catalogue. A listing that fails withdraws nothing.
"""
from __future__ import annotations

import json
import logging
from urllib.parse import urlencode

from ckan import model
from ckan.lib import search
from ckan.plugins import toolkit

from ckanext.harvest.harvesters.ckanharvester import (CKANHarvester, ContentFetchError,
                                                      SearchError)
from ckanext.harvest.model import HarvestObject, HarvestObjectExtra

log = logging.getLogger(__name__)

# ids per request of the listing: CKAN's package_search maximum by default (a
# remote that allows fewer answers with fewer, and the listing pages on)
ID_PAGE_OPTION = "ckanext.bonos.harvest.ids_per_request"
WITHDRAW = "delete"


class CKANHarvesterWithWithdrawals(CKANHarvester):

    def __new__(cls, *args, **kwargs):
        # SingletonPlugin keeps its instance in a class attribute: without this
        # a subclass would get ckan_harvester's own instance when that plugin
        # is loaded first, and only one of the two harvesters would exist
        if "_instance" not in cls.__dict__:
            cls._instance = object.__new__(cls)
        return cls._instance

    def info(self):
        return {
            "name": "bonos_ckan",
            "title": "CKAN (with withdrawals)",
            "description": "Harvests a remote CKAN like ckan_harvester, and removes "
                           "the datasets the remote no longer publishes.",
            "form_config_interface": "Text",
        }

    def gather_stage(self, harvest_job):
        object_ids = super().gather_stage(harvest_job)
        if object_ids is None:      # the remote could not be searched
            return None
        try:
            published = self._published_ids(harvest_job.source.url.rstrip("/"))
        except SearchError as e:
            self._save_gather_error(
                "Withdrawn datasets were not looked for: %s" % e, harvest_job)
            return object_ids
        return list(object_ids) + self._flag_withdrawn(harvest_job, published)

    def import_stage(self, harvest_object):
        if not _flagged_for_withdrawal(harvest_object):
            returning = _coming_back(harvest_object)
            result = super().import_stage(harvest_object)
            if result is True and returning:
                # ckanext-harvest indexes an update before it flags the object
                # current, so the document of a dataset that had no current
                # object lacks harvest_source_id (harvest_source_clear would
                # leave it in the index): index it again now that it has one
                search.rebuild(harvest_object.package_id)
            return result
        context = {"model": model, "session": model.Session,
                   "user": self._get_user_name(), "ignore_auth": True}
        try:
            toolkit.get_action("package_delete")(context, {"id": harvest_object.package_id})
            log.info("Withdrew dataset %s (remote %s)", harvest_object.package_id,
                     harvest_object.guid)
        except toolkit.ObjectNotFound:
            log.info("Dataset %s was already gone", harvest_object.package_id)
        return True

    # -- pieces -----------------------------------------------------------------
    def _filter_terms(self) -> list[str]:
        """The source configuration's organization and group filters, as the
        CKAN harvester applies them (include wins over exclude)."""
        terms = []
        for field, include, exclude in (
                ("organization", "organizations_filter_include", "organizations_filter_exclude"),
                ("groups", "groups_filter_include", "groups_filter_exclude")):
            wanted, unwanted = self.config.get(include), self.config.get(exclude)
            if wanted:
                terms.append(" OR ".join("%s:%s" % (field, name) for name in wanted))
            elif unwanted:
                terms.extend("-%s:%s" % (field, name) for name in unwanted)
        return terms

    def _published_ids(self, base_url: str) -> set[str]:
        """Every dataset id the remote publishes to an anonymous search."""
        rows = toolkit.asint(toolkit.config.get(ID_PAGE_OPTION) or 1000)
        params = {"fl": "id", "rows": rows, "sort": "id asc"}
        terms = self._filter_terms()
        if terms:
            params["fq"] = " ".join(terms)
        ids: set[str] = set()
        start, first_count = 0, None
        while True:
            url = "%s%s?%s" % (base_url, self._get_search_api_offset(),
                               urlencode(dict(params, start=start)))
            try:
                result = json.loads(self._get_content(url))["result"]
                page = [row["id"] for row in result["results"]]
                count = int(result["count"])
            except ContentFetchError as e:
                raise SearchError("the remote search failed: %s" % e)
            except (ValueError, KeyError, TypeError) as e:
                raise SearchError("the remote search did not answer as CKAN does: %r" % e)
            # a dataset added or removed between two pages shifts the next
            # page by one: an id could be missed and wrongly withdrawn
            first_count = count if first_count is None else first_count
            if count != first_count:
                raise SearchError("the remote listing changed while it was read")
            ids.update(page)
            start += len(page)
            if not page or start >= count:
                if len(ids) < count:
                    raise SearchError("the remote listing changed while it was read")
                return ids

    def _flag_withdrawn(self, harvest_job, published: set[str]) -> list[str]:
        current = model.Session.query(HarvestObject.guid, HarvestObject.package_id).filter(
            HarvestObject.current == True,   # noqa: E712 (SQL)
            HarvestObject.harvest_source_id == harvest_job.source.id)
        withdrawn = [(guid, package_id) for guid, package_id in current
                     if package_id and guid not in published]
        if not withdrawn:
            return []
        model.Session.query(HarvestObject).filter(
            HarvestObject.guid.in_([guid for guid, _ in withdrawn])).update(
            {"current": False}, synchronize_session=False)
        flagged = []
        for guid, package_id in withdrawn:
            obj = HarvestObject(guid=guid, job=harvest_job, package_id=package_id,
                                extras=[HarvestObjectExtra(key="status", value=WITHDRAW)])
            obj.save()
            flagged.append(obj.id)
        log.info("%d datasets left %s: flagged for withdrawal", len(flagged),
                 harvest_job.source.url)
        return flagged


def _flagged_for_withdrawal(harvest_object) -> bool:
    return any(extra.key == "status" and extra.value == WITHDRAW
               for extra in harvest_object.extras)


def _coming_back(harvest_object) -> bool:
    """A dataset this portal withdrew (no current object) that the remote
    publishes again."""
    has_current = model.Session.query(model.Session.query(HarvestObject).filter(
        HarvestObject.guid == harvest_object.guid,
        HarvestObject.current == True).exists()).scalar()   # noqa: E712 (SQL)
    if has_current:
        return False
    return model.Package.get(harvest_object.guid) is not None
