from setuptools import setup, find_namespace_packages

setup(
    name="ckanext-bonos",
    version="0.1.0",
    description="CKAN extension for publishing Honduras' social-bond transfers (SEDIS)",
    license="AGPL-3.0-or-later",
    packages=find_namespace_packages(include=["ckanext", "ckanext.*"]),
    include_package_data=True,
    zip_safe=False,
    python_requires=">=3.10",
    entry_points={
        "ckan.plugins": [
            "bonos = ckanext.bonos.plugin:BonosPlugin",
            "bonos_pgsearch = ckanext.bonos.plugin:BonosPgSearchPlugin",
            "bonos_resumen = ckanext.bonos.plugin:BonosResumenView",
            "bonos_pagos = ckanext.bonos.plugin:BonosPagosView",
            "bonos_indicadores = ckanext.bonos.plugin:BonosIndicadoresView",
        ],
    },
)
