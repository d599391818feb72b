from tests.citizen.conftest import (  # noqa: F401  (fixtures shared with the citizen tests)
    clean_bonos_tables, portal)
