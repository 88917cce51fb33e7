"""docker-compose.yml describes the production shape with the same settings the app reads (no Docker runs here)."""

import dataclasses
import ipaddress
import re
from pathlib import Path

import yaml

from smartoffice.settings import PREFIX, Settings

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_services_of_a_real_deployment() -> None:
    services = compose()["services"]
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    assert "noeviction" in services["redis"]["command"]
    assert services["app"]["deploy"]["replicas"] == 2
    assert services["app"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["command"] == ["smartoffice", "db", "upgrade"]
    assert "proxy" in services
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert re.search(r"server app:8000", nginx)


def test_app_is_configured_through_known_settings() -> None:
    env = compose()["services"]["app"]["environment"]
    assert env["SMARTOFFICE_DATABASE_URL"].startswith("postgresql+asyncpg://")
    assert env["SMARTOFFICE_REDIS_URL"].startswith("redis://redis:6379")
    known = {PREFIX + f.name.upper() for f in dataclasses.fields(Settings)}
    assert set(env) <= known, set(env) - known
    settings = Settings.from_env({k: str(v) for k, v in env.items() if "${" not in str(v)})
    assert settings.workers == 1  # one worker per replica: each replica is one metrics target
    assert settings.migrate_on_start is False


def test_the_image_installs_the_package_and_its_templates() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install" in dockerfile
    assert "COPY templates" in dockerfile
    assert 'CMD ["smartoffice", "serve"]' in dockerfile


def test_the_app_trusts_exactly_the_proxys_fixed_address() -> None:
    services = compose()["services"]
    settings = Settings.from_env({k: str(v) for k, v in services["app"]["environment"].items() if "${" not in str(v)})
    proxy_address = services["proxy"]["networks"]["default"]["ipv4_address"]
    assert settings.trusted_proxies == (proxy_address,)
    [subnet] = compose()["networks"]["default"]["ipam"]["config"]
    assert ipaddress.ip_address(proxy_address) in ipaddress.ip_network(subnet["subnet"])
