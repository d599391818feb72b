"""Target configuration: clear errors naming the setting."""
import pytest

from ckanext.bonos.sync import targets
from ckanext.bonos.sync.mapping import target_name


def configure(ckan_config, monkeypatch, **settings):
    monkeypatch.setitem(ckan_config, targets.TARGETS_OPTION, ["nacional"])
    base = {"url": "http://127.0.0.1:9", "token_env": "X_TOKEN", "organization": "sedis"}
    base.update(settings)
    for key, value in base.items():
        monkeypatch.setitem(ckan_config, targets.PREFIX % ("nacional", key), value)


def test_a_complete_target(ckan_config, monkeypatch):
    configure(ckan_config, monkeypatch, mode="bonos", resources="link", prefix="sedis-")
    target = targets.get("nacional")
    assert (target.mode, target.resources, target.withdraw, target.prefix) == (
        "bonos", "link", "delete", "sedis-")


@pytest.mark.parametrize("key,value,named", [
    ("mode", "solr", "mode"), ("resources", "ftp", "resources"),
    ("withdraw", "purge", "withdraw"), ("url", "ftp://x", "url"),
    ("retries", "many", "retries"), ("prefix", "Mayúsculas", "prefix")])
def test_bad_settings_are_named(ckan_config, monkeypatch, key, value, named):
    configure(ckan_config, monkeypatch, **{key: value})
    with pytest.raises(targets.TargetError) as e:
        targets.get("nacional")
    assert "ckanext.bonos.push.target.nacional." + named in str(e.value)


def test_missing_setting_and_unknown_target(ckan_config, monkeypatch):
    configure(ckan_config, monkeypatch, organization="")
    with pytest.raises(targets.TargetError, match="organization is missing"):
        targets.get("nacional")
    with pytest.raises(targets.TargetError, match="Unknown target 'otro'"):
        targets.get("otro")


def test_empty_token_variable(ckan_config, monkeypatch):
    configure(ckan_config, monkeypatch)
    monkeypatch.delenv("X_TOKEN", raising=False)
    with pytest.raises(targets.TargetError, match="X_TOKEN"):
        targets.get("nacional").token


def test_names_are_deterministic_and_fit():
    assert target_name("sedis-", "bvm-2024") == "sedis-bvm-2024"
    long = target_name("sedis-", "x" * 100)
    assert len(long) == 100 and long == target_name("sedis-", "x" * 100)
    assert long != target_name("sedis-", "x" * 99 + "y")
