"""For the national portal's side of a DCAT harvest: a profile that, after
euro_dcat_ap_3 has parsed a dataset, fills the fields of a `dataset` schema
like datos.gob.hn's (ckanext-honduras): ``frequency`` as an ISO 8601
repeating interval, ``contactPoint`` (an e-mail) and ``modified`` (a date).

Harvest source configuration: {"profiles": "euro_dcat_ap_3 bonos_nacional_hn"}.
It imports nothing of the bono plugins: installing ckanext-bonos is enough.
"""
from __future__ import annotations

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
        keys = {k for k, v in filled.items() if v}
        dataset_dict["extras"] = [e for e in dataset_dict.get("extras") or []
                                  if e["key"] not in keys]
        dataset_dict.update({k: v for k, v in filled.items() if v})
        return dataset_dict

    def graph_from_dataset(self, dataset_dict, dataset_ref):
        return None

    def graph_from_catalog(self, catalog_dict, catalog_ref):
        return None
