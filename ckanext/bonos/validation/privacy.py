"""Privacy rules: no personal data in a published summary table.

The families behind these tables are poor and most beneficiaries are minors, so a
summary that carries a name, an identity number, a phone or an e-mail is refused
outright. Two checks:

* Column names (``personal_column``): a column whose name means personal data, in
  Spanish or English, whatever its accents, case, spaces, hyphens or underscores.
  Names that are about places or things ("nombre_municipio", "direccion_regional",
  "grupo_edad") are not personal; they are still unknown columns, refused as such.
* Cell values (``value_problem``): the shape of a Honduran identity number
  (13 digits, ``####-####-#####``), of a Honduran phone number (8 digits starting
  with 2, 3, 7, 8 or 9, optionally ``+504``, dashes or spaces) or of an e-mail.

Where the value check applies, and why (false positives matter as much as misses,
because a refused upload with a wrong reason wastes an official's afternoon):

* An identity-number shape is refused in every column. 13 plain digits as an amount
  would be a trillion lempiras or more, which no table here can hold; with a decimal
  point it is an amount, not an identity number.
* A phone shape of 8 plain digits is checked only in text columns: in a number
  column 98765432 is a plausible national total in lempiras. A phone written with
  ``+504``, a dash or a space is refused in any column (no number is written so).
* In text columns, 8 digits that read as a date (20230115) or a year range
  (2019-2020) are not taken for phones.
* In free-text columns (a string column with neither a pattern nor a list of
  values, e.g. an indicator's name) identity numbers, e-mails and ``+504`` phones
  are also looked for inside the text, not only as the whole cell.
* In a column that is not in the standard (refused anyway, but still searched so
  that personal data are named as such) plain digits are judged as a number, and
  anything else as free text.
* Messages never repeat the value: the report is stored and shown, and must not
  spread the very data it refuses.
"""
from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from typing import Optional, Tuple

CODIGO_COLUMNA = "dato_personal_columna"
CODIGO_VALOR = "dato_personal_valor"

# -- column names -------------------------------------------------------------

# Distinctive enough to be found inside a name with its separators removed
# ("FechaNacimiento", "e-mail", "NumeroTelefono", "firstName"). The strong ones
# are about a person whatever else the name says ("lugar_nacimiento"); the others
# may belong to an office or a bank ("telefono_oficina").
_STRONG = (
    "apellido", "identidad", "pasaporte", "passport", "nacimiento", "surname",
    "firstname", "lastname", "fullname", "middlename", "birthdate", "birthday",
    "dateofbirth", "cedula", "nationalid", "idnumber", "numerocuenta",
    "cuentabancaria", "accountnumber", "bankaccount", "huelladigital", "fingerprint",
)
_SUBSTRINGS = (
    "telefono", "telephone", "celular", "domicilio", "correo", "email",
    "phonenumber", "cellphone", "mobilephone", "mobilenumber",
)
# Whole words (tokens between separators); too short or too common to be
# looked for inside other words ("tel" is in "hotel", "name" in "filename").
_TOKENS = {
    "nombre", "nombres", "name", "names", "dni", "rtn", "tel", "phone", "phones",
    "address", "direccion", "dob", "ssn", "iban", "foto", "fotografia", "photo",
    "firma", "signature", "huella", "edad", "age",
}
# Personal only alone or next to a word that makes them a number to call.
_CONTACT = {"movil", "mobile", "cel", "cell"}
_CONTACT_CONTEXT = {"numero", "num", "no", "nro", "number", "telefono", "phone",
                    "contacto", "contact"}
# "id" / "documento" are personal when they identify a person.
_IDS = {"id", "documento", "doc"}
_ID_CONTEXT = {"numero", "num", "no", "nro", "number", "nacional", "national",
               "personal", "persona", "person", "beneficiario", "beneficiaria",
               "beneficiary", "titular", "holder", "identificacion", "identification"}
# A single person: a column holding one is row-level data about people.
_PERSON = {"beneficiario", "beneficiaria", "beneficiary", "titular", "holder",
           "madre", "padre", "mother", "father", "jefe", "jefa", "nino", "nina",
           "child", "hijo", "hija", "recipient", "receptor", "receptora",
           "responsable", "participante", "participant", "miembro", "member",
           "persona", "person", "ciudadano", "ciudadana", "citizen"}
# Things and places have names and addresses too.
_NOT_PERSON = {
    "municipio", "municipality", "departamento", "depto", "department", "programa",
    "program", "programme", "componente", "component", "indicador", "indicator",
    "bono", "aldea", "caserio", "comunidad", "community", "lugar", "place", "banco",
    "bank", "agencia", "agency", "sucursal", "branch", "entidad", "entity",
    "institucion", "institution", "organizacion", "organization", "oficina",
    "office", "regional", "region", "zona", "zone", "centro", "center", "centre",
    "escuela", "school", "proyecto", "project", "unidad", "unit", "modalidad",
    "estado", "status", "archivo", "file", "columna", "column", "pais", "country",
    "sitio", "site", "punto", "tabla", "table", "recurso", "resource", "periodo",
}
# Age as a group or a statistic is not about one person.
_AGGREGATE = {"grupo", "group", "rango", "range", "tramo", "promedio", "media",
              "mean", "average", "mediana", "median", "minima", "maxima", "min",
              "max", "total", "totales", "bracket", "band"}
_SINGLE = {"beneficiario", "beneficiaria", "beneficiary", "titular", "holder",
           "edad", "age", "movil", "mobile", "cel", "celular"}


def normalize_name(name: str) -> str:
    """Lower case, no accents, camelCase split, runs of anything but letters and
    digits as '_'."""
    text = re.sub(r"([a-z])([A-Z])", r"\1_\2", name)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


@functools.lru_cache(maxsize=1024)
def personal_column(name: str) -> bool:
    """Does this column name announce personal data?"""
    normal = normalize_name(name)
    if not normal:
        return False
    tokens = set(normal.split("_"))
    compact = normal.replace("_", "")
    if normal in _SINGLE or compact in _SINGLE:
        return True
    if any(s in compact for s in _STRONG):
        return True
    about_person = bool(tokens & _PERSON)
    about_thing = bool(tokens & _NOT_PERSON) and not about_person
    if about_thing:
        return False
    if any(s in compact for s in _SUBSTRINGS):
        return True
    if tokens & {"edad", "age"}:
        return not tokens & _AGGREGATE
    if tokens & _TOKENS:
        return True
    if tokens & _CONTACT and tokens & (_CONTACT_CONTEXT | _PERSON):
        return True
    if tokens & _IDS and tokens & (_ID_CONTEXT | _PERSON):
        return True
    return False


# -- cell values ----------------------------------------------------------------

_IDENTITY = re.compile(r"\d{4}[- ]?\d{4}[- ]?\d{5}")
_IDENTITY_IN_TEXT = re.compile(r"(?<![\d-])\d{4}[- ]?\d{4}[- ]?\d{5}(?![\d-])")
_PHONE = re.compile(r"(?P<prefix>(?:\+\s?504|\(\+?504\)|00504)[- ]?)?"
                    r"(?P<a>[23789]\d{3})(?P<sep>[- ]?)(?P<b>\d{4})")
_PHONE_IN_TEXT = re.compile(r"(?:\+\s?504|\(\+?504\)|00504)[- ]?[23789]\d{3}[- ]?\d{4}(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")

IDENTIDAD = (
    "El valor tiene la forma de un número de identidad (13 dígitos); una tabla "
    "publicada no puede contener datos personales",
    "The value has the shape of an identity number (13 digits); a published "
    "table must not contain personal data")
TELEFONO = (
    "El valor tiene la forma de un número de teléfono; una tabla publicada no "
    "puede contener datos personales",
    "The value has the shape of a phone number; a published table must not "
    "contain personal data")
CORREO = (
    "El valor contiene una dirección de correo electrónico; una tabla publicada "
    "no puede contener datos personales",
    "The value contains an e-mail address; a published table must not contain "
    "personal data")


def value_problem(value: str, kind: str) -> Optional[Tuple[str, str]]:
    """(es, en) if the stripped cell ``value`` looks like personal data.

    ``kind`` is ``"text"`` (a string column with a pattern or a list of values),
    ``"free"`` (a string column of free text; also searched inside) or
    ``"number"`` (number, integer and date columns).
    """
    if _IDENTITY.fullmatch(value):
        return IDENTIDAD
    phone = _PHONE.fullmatch(value)
    if phone and _is_phone(phone, kind):
        return TELEFONO
    if kind == "number":
        return None
    if "@" in value and _EMAIL.search(value):
        return CORREO
    if kind == "free" and _has_digits(value):
        if _IDENTITY_IN_TEXT.search(value):
            return IDENTIDAD
        if _PHONE_IN_TEXT.search(value):
            return TELEFONO
    return None


def _is_phone(match: re.Match, kind: str) -> bool:
    if match.group("prefix"):
        return True
    if kind == "number":
        # 8 plain digits may be an amount; a dash or a space is never in a number.
        return bool(match.group("sep"))
    a, b = match.group("a"), match.group("b")
    return not (_is_year_range(a, b) or (not match.group("sep") and _is_date(a + b)))


def _is_year_range(a: str, b: str) -> bool:
    return a[:2] in ("19", "20") and b[:2] in ("19", "20") and int(a) <= int(b)


def _is_date(digits: str) -> bool:
    if digits[:2] not in ("19", "20"):
        return False
    try:
        datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return False
    return True


def _has_digits(value: str) -> bool:
    return any(c.isdigit() for c in value)
