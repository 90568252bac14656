"""Export packages: masked clips, a manifest of SHA-256 hashes and an Ed25519 signature.

Layout (a directory, or the same inside a ZIP)::

    manifest.json       case, devices, time ranges, hashes, mask spec, versions, who and when
    manifest.sig        Ed25519 signature over the exact bytes of manifest.json
    signer.pub          the signer's public key (PEM); pin it with ``verify --key``
    clips/<name>.mp4    the masked clips

Anyone can verify with this module alone: every file listed must be present with its hash,
no unlisted file may be present, and the signature must hold.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from jikimi.engine.errors import InputError, PackageError
from jikimi.engine.masking.model_store import model_versions
from jikimi.engine.masking.output_paths import check_output
from jikimi.engine.masking.spec import MaskSpec
from jikimi.engine.version import ENGINE_VERSION

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PUBLIC_KEY = "signer.pub"
CHUNK = 1 << 20


@dataclass(frozen=True)
class PackageInfo:
    case: str
    preparer: str
    approver: str
    recipient: str = ""
    purpose: str = ""
    devices: list[str] = field(default_factory=list)
    time_ranges: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    problem: str = ""
    files: int = 0
    key_id: str = ""


def _parse_instant(text: str, where: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise PackageError(f"{where}: '{text}' is not an ISO 8601 date and time") from None
    if moment.tzinfo is None:
        raise PackageError(f"{where}: '{text}' has no time zone (write e.g. 2026-03-02T09:00:00+09:00)")
    return moment


def check_package_info(info: PackageInfo) -> None:
    """What `package` is given on the command line: every --time-range is START/END with a time zone
    and START before END; every --device is named; the case is given. (jikimi's own copies state
    their windows in Korean words, checked where they are made.)"""
    if not info.case.strip():
        raise PackageError("case: empty")
    for device in info.devices:
        if not device.strip() or any(ord(ch) < 32 for ch in device):
            raise PackageError(f"device: {device!r} is empty or has control characters")
    for text in info.time_ranges:
        where = f"time range {text!r}"
        if text.count("/") != 1:
            raise PackageError(f"{where}: write START/END")
        start_text, end_text = text.split("/")
        start, end = _parse_instant(start_text, where), _parse_instant(end_text, where)
        if start >= end:
            raise PackageError(f"{where}: START is not before END")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def generate_key(path: Path) -> str:
    """Write a new private key (mode 0600) and its public key beside it as ``<path>.pub``."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise PackageError(f"{path} already exists: a signing key is never overwritten") from None
    except OSError as exc:
        raise PackageError(f"{path}: cannot write the key ({exc.strerror})") from None
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    public = key.public_key()
    Path(f"{path}.pub").write_bytes(_public_pem(public))
    return key_id(public)


def load_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise PackageError(f"cannot read signing key {path}: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise PackageError(f"signing key {path} is not an Ed25519 key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise PackageError(f"cannot read public key {path}: {exc}") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise PackageError(f"public key {path} is not an Ed25519 key")
    return key


def load_trust_list(path: Path) -> list[Ed25519PublicKey]:
    """The signers a recipient trusts: the institution's published keys, a PEM file holding one or more
    public keys, or a folder of such files (*.pem, *.pub)."""
    files = sorted([*path.glob("*.pem"), *path.glob("*.pub")]) if path.is_dir() else [path]
    keys: list[Ed25519PublicKey] = []
    for file in files:
        try:
            text = file.read_bytes()
        except OSError as exc:
            raise PackageError(f"cannot read trust list {file}: {exc.strerror}") from None
        blocks = [b for b in text.split(b"-----END PUBLIC KEY-----") if b"-----BEGIN PUBLIC KEY-----" in b]
        for block in blocks:
            pem = block[block.index(b"-----BEGIN PUBLIC KEY-----") :] + b"-----END PUBLIC KEY-----\n"
            try:
                key = serialization.load_pem_public_key(pem)
            except ValueError as exc:
                raise PackageError(f"trust list {file}: not a public key ({exc})") from None
            if not isinstance(key, Ed25519PublicKey):
                raise PackageError(f"trust list {file}: a key that is not Ed25519")
            keys.append(key)
    if not keys:
        raise PackageError(f"trust list {path}: no public key in it")
    return keys


def _public_pem(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def build_manifest(
    clips: list[Path], sources: list[Path], info: PackageInfo, spec: MaskSpec | None, created: datetime
) -> dict[str, object]:
    names = [f"clips/{clip.name}" for clip in clips]
    if len(set(names)) != len(names):
        raise PackageError("two clips have the same file name")
    return {
        "format": "jikimi-export/1",
        "case": info.case,
        "recipient": info.recipient,
        "purpose": info.purpose,
        "devices": info.devices,
        "time_ranges": info.time_ranges,
        "preparer": info.preparer,
        "approver": info.approver,
        "created": created.astimezone(UTC).isoformat(timespec="seconds"),
        "engine": ENGINE_VERSION,
        "models": model_versions(),
        "mask_spec": spec.model_dump(mode="json") if spec else None,
        # Originals are not in the package: their hashes tie the export to the vault's footage.
        "sources": [{"name": s.name, "size": s.stat().st_size, "sha256": sha256_file(s)} for s in sources],
        "files": [
            {"path": name, "size": clip.stat().st_size, "sha256": sha256_file(clip)}
            for name, clip in zip(names, clips, strict=True)
        ],
    }


def build_package(
    target: Path,
    *,
    clips: list[Path],
    sources: list[Path],
    info: PackageInfo,
    key: Ed25519PrivateKey,
    spec: MaskSpec | None = None,
    as_zip: bool = False,
    created: datetime | None = None,
) -> Path:
    """Write the package at ``target`` (a new directory, or a ZIP file); nothing is left on failure."""
    if target.exists():
        raise PackageError(f"{target} already exists")
    try:
        check_output([*clips, *sources], [target])
    except InputError as exc:
        raise PackageError(str(exc)) from None
    for path in [*clips, *sources]:
        if not path.is_file():
            raise PackageError(f"{path}: no such file")
    manifest = build_manifest(clips, sources, info, spec, created or datetime.now(UTC))
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
    signature = base64.b64encode(key.sign(manifest_bytes)) + b"\n"
    public = _public_pem(key.public_key())
    parent = target.parent if str(target.parent) else Path(".")
    staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.", suffix=".part"))
    try:
        (staging / "clips").mkdir()
        for clip in clips:
            shutil.copyfile(clip, staging / "clips" / clip.name)
        (staging / MANIFEST).write_bytes(manifest_bytes)
        (staging / SIGNATURE).write_bytes(signature)
        (staging / PUBLIC_KEY).write_bytes(public)
        if as_zip:
            tmp_zip = staging.with_suffix(".zip")
            with zipfile.ZipFile(tmp_zip, "w", compression=zipfile.ZIP_STORED) as zf:
                for path in sorted(staging.rglob("*")):
                    if path.is_file():
                        zf.write(path, path.relative_to(staging).as_posix())
            os.replace(tmp_zip, target)
        else:
            os.replace(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
        if staging.with_suffix(".zip").exists():
            staging.with_suffix(".zip").unlink()
    return target


class _Reader:
    """Reads member files from a package directory or ZIP."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip = zipfile.ZipFile(path) if path.is_file() else None

    def names(self) -> set[str]:
        if self.zip is not None:
            return {n for n in self.zip.namelist() if not n.endswith("/")}
        return {p.relative_to(self.path).as_posix() for p in self.path.rglob("*") if p.is_file()}

    def read(self, name: str) -> bytes:
        if self.zip is not None:
            return self.zip.read(name)
        return (self.path / name).read_bytes()

    def sha256(self, name: str) -> str:
        digest = hashlib.sha256()
        if self.zip is not None:
            with self.zip.open(name) as fh:
                while chunk := fh.read(CHUNK):
                    digest.update(chunk)
        else:
            with (self.path / name).open("rb") as fh:
                while chunk := fh.read(CHUNK):
                    digest.update(chunk)
        return digest.hexdigest()


def verify_package(
    path: Path,
    expected_key: Ed25519PublicKey | None = None,
    *,
    trusted_keys: list[Ed25519PublicKey] | None = None,
) -> VerifyReport:
    """Check the signer, the signature, then every file's hash; report the first thing that does not match.

    A package carries its signer's public key, so a signature alone proves nothing: anyone can replace
    the clip and re-sign with a key of his own. The signer must be one the recipient trusts — the
    expected key, or one of the institution's published keys (`trusted_keys`); with neither, the
    package fails as unverifiable.
    """
    if not path.exists():
        return VerifyReport(False, f"{path}: no such package")
    try:
        reader = _Reader(path)
    except zipfile.BadZipFile:
        return VerifyReport(False, f"{path}: not a package directory or ZIP")
    names = reader.names()
    for required in (MANIFEST, SIGNATURE, PUBLIC_KEY):
        if required not in names:
            return VerifyReport(False, f"{required} is missing")
    manifest_bytes = reader.read(MANIFEST)
    try:
        public = serialization.load_pem_public_key(reader.read(PUBLIC_KEY))
    except ValueError:
        return VerifyReport(False, f"{PUBLIC_KEY} is not a public key")
    if not isinstance(public, Ed25519PublicKey):
        return VerifyReport(False, f"{PUBLIC_KEY} is not an Ed25519 key")
    kid = key_id(public)
    trusted = {key_id(k) for k in [*(trusted_keys or []), *([expected_key] if expected_key else [])]}
    if not trusted:
        return VerifyReport(
            False, f"signed by key {kid}, but no trusted key was given (--key or --trust)", key_id=kid
        )
    if kid not in trusted:
        return VerifyReport(
            False,
            f"signed by key {kid}, which is not a trusted key ({', '.join(sorted(trusted))})",
            key_id=kid,
        )
    try:
        public.verify(base64.b64decode(reader.read(SIGNATURE).strip(), validate=True), manifest_bytes)
    except (InvalidSignature, ValueError):
        return VerifyReport(
            False, f"{MANIFEST}: signature does not match (manifest altered or re-signed)", key_id=kid
        )
    try:
        manifest = json.loads(manifest_bytes)
        files = manifest["files"]
    except (ValueError, KeyError):
        return VerifyReport(False, f"{MANIFEST}: unreadable", key_id=kid)
    listed = set()
    for entry in files:
        name = entry["path"]
        listed.add(name)
        if name not in names:
            return VerifyReport(False, f"{name}: listed in the manifest but missing", key_id=kid)
        try:
            digest = reader.sha256(name)
        except (zipfile.BadZipFile, OSError) as exc:
            return VerifyReport(False, f"{name}: damaged ({exc})", key_id=kid)
        if digest != entry["sha256"]:
            return VerifyReport(False, f"{name}: SHA-256 does not match the manifest", key_id=kid)
    extra = sorted(names - listed - {MANIFEST, SIGNATURE, PUBLIC_KEY})
    if extra:
        return VerifyReport(False, f"{extra[0]}: not listed in the manifest", key_id=kid)
    return VerifyReport(True, files=len(listed), key_id=kid)


__all__ = [
    "PackageInfo",
    "VerifyReport",
    "build_package",
    "check_package_info",
    "generate_key",
    "load_private_key",
    "load_public_key",
    "load_trust_list",
    "sha256_file",
    "verify_package",
]
