"""For the national portal's side of a DCAT harvest: a profile that, after
euro_dcat_ap_3 has parsed a dataset, fills the fields of a `dataset` schema
like datos.gob.hn's (ckanext-honduras): ``frequency`` as an ISO 8601
repeating interval, ``contactPoint`` (an e-mail), ``modified`` (a date) and
``tag_string`` (the keywords, for a schema that requires tags there).

ckanext-dcat 2.4's harvester parses with the portal's own
``ckanext.dcat.rdf.profiles`` (not the source's configuration), so the
national portal sets ``ckanext.dcat.rdf.profiles = euro_dcat_ap_3
bonos_nacional_hn``; installing ckanext-bonos is enough for the profile. The
plugin ``bonos_nacional`` (skip_unchanged) makes a re-harvest of an unchanged
catalogue write nothing.
"""
from __future__ import annotations

import json

from ckanext.dcat.profiles import RDFProfile

from . import terms


def _value(dataset_dict: dict, key: str):
    if dataset_dict.get(key) not in (None, ""):
        return dataset_dict[key]
    for extra in dataset_dict.get("extras") or []:
        if extra["key"] == key:
            return extra["value"]
    return None


class NationalHNProfile(RDFProfile):
    def parse_dataset(self, dataset_dict, dataset_ref):
        frequency = _value(dataset_dict, "frequency")
        iso = terms.iso_of_eu(frequency) if frequency and "/authority/" in frequency else None
        contact = dataset_dict.get("contact")
        email = (contact[0].get("email") if isinstance(contact, list) and contact else None) \
            or _value(dataset_dict, "contact_email")
        modified = _value(dataset_dict, "modified")
        filled = {"frequency": iso, "contactPoint": (email or "").replace("mailto:", "") or None,
                  "modified": modified[:10] if modified else None,
                  "issued": (_value(dataset_dict, "issued") or "")[:10] or None}
        # a schema that requires tags as `tag_string` (scheming's preset) checks
        # that field, not the parsed `tags` list
        tags = [t["name"] for t in dataset_dict.get("tags") or []]
        filled["tag_string"] = dataset_dict.get("tag_string") or ",".join(tags) or None
        # euro_dcat_ap_3 also gives scheming-style agent lists; a schema without
        # those fields refuses them on CKAN 2.11 ("__junk")
        fields = {f["field_name"] for f in (self._dataset_schema or {}).get(
            "dataset_fields", [])}
        for key in ("contact", "publisher", "creator"):
            if self._dataset_schema and key not in fields:
                dataset_dict.pop(key, None)
        keys = {k for k, v in filled.items() if v}
        dataset_dict["extras"] = [e for e in dataset_dict.get("extras") or []
                                  if e["key"] not in keys]
        dataset_dict.update({k: v for k, v in filled.items() if v})
        return dataset_dict

    def graph_from_dataset(self, dataset_dict, dataset_ref):
        return None

    def graph_from_catalog(self, catalog_dict, catalog_ref):
        return None


def _comparable(content: str | None) -> dict | None:
    # the harvester may give a taken name a new suffix; the rest is what we sent
    try:
        data = json.loads(content or "")
    except ValueError:
        return None
    data.pop("name", None)
    return data


def skip_unchanged(harvest_object, dataset_dict: dict) -> None:
    """IDCATRDFHarvester.before_update: ckanext-dcat's harvester updates every
    dataset on every run; when what the source sent is what it sent last time,
    empty the dict, which the harvester counts as unchanged and skips. The
    object keeps pointing at the dataset (the harvester sets that only when it
    writes), so the next run compares with it and a withdrawal finds it."""
    from ckan import model
    from ckanext.harvest.model import HarvestObject
    previous = (model.Session.query(HarvestObject)
                .filter(HarvestObject.guid == harvest_object.guid)
                .filter(HarvestObject.id != harvest_object.id)
                .filter(HarvestObject.import_finished.isnot(None))
                .filter(HarvestObject.state == "COMPLETE")
                .order_by(HarvestObject.import_finished.desc()).first())
    if previous is not None and dataset_dict.get("id") and \
            _comparable(previous.content) == _comparable(harvest_object.content):
        harvest_object.package_id = dataset_dict["id"]
        harvest_object.add()
        dataset_dict.clear()
