"""The copy the requester receives (R25, R42): the engine's sealed package (the masked clip, the
original's hash, a manifest signed with the institution's key) inside a ZIP encrypted with AES-256
(WinZip AE-2, as 7-Zip, 반디집 and 알집 open it), under a random password.

The password is made here, shown once to the officer, who gives it to the requester by another
channel than the download link (phone, counter); it is never stored or mailed. The archive holds:

    <접수번호>/clips/<접수번호>-masked.mp4, manifest.json, manifest.sig, signer.pub   (the sealed package)
    읽어보세요.txt                                                                    (how to check it)
"""

from __future__ import annotations

import secrets
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyzipper

from jikimi.engine.masking.package import PackageInfo, build_package
from jikimi.engine.masking.spec import MaskSpec

# No 0/O, 1/l/I: the password is read out over the phone. 20 characters of 31: ~99 bits.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
PASSWORD_GROUPS, GROUP_LENGTH = 5, 4

README = """\
이 파일은 {institution}이(가) 개인정보 보호법 제35조에 따라 제공하는 영상 사본입니다 (접수번호 {receipt}).

- 영상에는 청구인이 아닌 사람의 얼굴 등이 가려져 있고, 화면에 접수번호가 새겨져 있습니다.
- 이 영상을 다른 사람에게 넘기거나 인터넷에 올리면 다른 사람의 개인정보를 침해할 수 있습니다.
- {receipt} 폴더의 manifest.json에는 영상 파일의 SHA-256 해시가, manifest.sig에는 기관의 전자서명이
  들어 있어 영상이 바뀌지 않았음을 확인할 수 있습니다 (python -m jikimi.engine verify {receipt}).
"""


def new_password() -> str:
    groups = ("".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(PASSWORD_GROUPS))
    return "-".join(groups)


def password_from_secret(secret: bytes) -> str:
    """The password a package build's data key stands for (PackageJob: made when the officer asks, shown
    to them then, derived again by the worker that builds it). 32 letters: a byte mod 32 is unbiased."""
    if len(secret) < PASSWORD_GROUPS * GROUP_LENGTH or len(ALPHABET) != 32:
        raise ValueError("password secret too short")
    letters = [ALPHABET[byte % 32] for byte in secret[: PASSWORD_GROUPS * GROUP_LENGTH]]
    return "-".join("".join(letters[i : i + GROUP_LENGTH]) for i in range(0, len(letters), GROUP_LENGTH))


@dataclass(frozen=True)
class CopyArchive:
    path: Path
    password: str
    file_name: str


def build_copy_archive(
    directory: Path,
    *,
    clip: Path,
    original: Path,
    info: PackageInfo,
    key: object,
    spec: MaskSpec | None,
    institution: str,
    password: str | None = None,
    created: datetime | None = None,
) -> CopyArchive:
    """Seal `clip` (with `original`'s hash) into a package, then into an AES-256 ZIP in `directory`."""
    receipt = info.case
    named = directory / "clips" / f"{receipt}-masked.mp4"
    named.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(clip, named)
    package = build_package(
        directory / receipt,
        clips=[named],
        sources=[original],
        info=info,
        key=key,  # type: ignore[arg-type]  # an Ed25519PrivateKey (jikimi.audit.anchoring.signing_key)
        spec=spec,
        created=created or datetime.now(UTC),
    )
    readme = README.format(institution=institution, receipt=receipt)
    return _encrypted_zip(directory, package, receipt, readme, f"영상사본-{receipt}.zip", password)


def _encrypted_zip(
    directory: Path, package: Path, folder: str, readme: str, file_name: str, password: str | None
) -> CopyArchive:
    """The sealed package under `folder`/ and the readme, in an AES-256 ZIP under `password` (or a new one)."""
    password = password or new_password()
    archive = directory / "archive.zip"
    with pyzipper.AESZipFile(
        archive, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
    ) as zf:
        zf.setpassword(password.encode("ascii"))
        zf.setencryption(pyzipper.WZ_AES, nbits=256)
        for path in sorted(package.rglob("*")):
            if path.is_file():
                zf.write(path, f"{folder}/{path.relative_to(package).as_posix()}")
        zf.writestr("읽어보세요.txt", readme)
    return CopyArchive(archive, password, file_name)


PROVISION_README = """\
이 파일은 {institution}이(가) 개인정보 보호법 제18조제2항에 따라 {body}에 제공하는 영상정보입니다
(사건번호 {case}, {kind}).

- {content}
- 제공받은 영상정보는 요청한 목적({purpose}) 외의 용도로 이용하거나 다른 사람에게 제공할 수 없으며,
  목적을 달성하면 지체 없이 파기하고 그 결과를 {institution}에 통보하여야 합니다 (영상정보 인수증).
- {case} 폴더의 manifest.json에는 각 영상 파일의 SHA-256 해시가, manifest.sig에는 기관의 전자서명이
  들어 있어 영상이 바뀌지 않았음을 확인할 수 있습니다 (python -m jikimi.engine verify {case}).
"""


def build_provision_archive(
    directory: Path,
    *,
    clips: list[tuple[Path, str]],
    originals: list[Path],
    info: PackageInfo,
    key: object,
    institution: str,
    body: str,
    original: bool,
    password: str | None = None,
    created: datetime | None = None,
) -> CopyArchive:
    """A provision's package (R49): its clips (each a (file, name) pair: masked derivatives, or the original
    exports themselves where the original was approved), sealed with the originals' hashes, in an AES-256
    ZIP. The readme says which it is."""
    case = info.case
    named: list[Path] = []
    for path, name in clips:
        target = directory / "clips" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        named.append(target)
    package = build_package(
        directory / case,
        clips=named,
        sources=originals,
        info=info,
        key=key,  # type: ignore[arg-type]  # an Ed25519PrivateKey (jikimi.audit.anchoring.signing_key)
        spec=None,
        created=created or datetime.now(UTC),
    )
    if original:
        content = "원본 영상입니다(마스킹하지 않음): 승인권자가 사유를 적어 원본 제공을 승인하였습니다."
    else:
        content = "영상에는 제3자의 얼굴 등이 가려져 있고, 화면에 사건번호가 새겨져 있습니다."
    readme = PROVISION_README.format(
        institution=institution,
        body=body,
        case=case,
        kind="원본" if original else "마스킹본",
        content=content,
        purpose=info.purpose,
    )
    return _encrypted_zip(directory, package, case, readme, f"제공영상-{case}.zip", password)
