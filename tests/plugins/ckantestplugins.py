"""CKAN's wheel registers its test plugins (test_package_controller_plugin,
action_plugin, ...) under the module path ``tests.plugins.ckantestplugins``,
which exists only in CKAN's source tree. Here, ``tests`` is this project's
test package, so that path points at CKAN's own module (tests/ckan_core)."""
from ckan.tests.plugins.ckantestplugins import *  # noqa: F401,F403
