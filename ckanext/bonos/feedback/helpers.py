"""Template helpers of the citizen reports."""
from __future__ import annotations

from . import actions
from . import model as reports
from .views import estado_label


def public_reports(package_id=None, departamento=None, municipio=None, limit=20) -> list[dict]:
    """Published answers about one publication or place (never any contact detail)."""
    return [actions.public_dict(r) for r in reports.published(
        limit, 0, package_id=package_id, departamento=departamento, municipio=municipio)]


def get_helpers() -> dict:
    return {"bonos_estado_reporte": estado_label, "bonos_reportes_publicos": public_reports}
