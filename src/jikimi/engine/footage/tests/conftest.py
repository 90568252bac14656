"""Real footage made with PyAV (`jikimi.engine.synthetic`), and real stores: a directory and a moto S3
server on 127.0.0.1."""

from __future__ import annotations

import secrets
from pathlib import Path

import av
import pytest

from jikimi.engine.footage.storage import DirectoryStore, FootageStore
from jikimi.engine.synthetic import write_clip

S3_CREDENTIALS = ("testing", "testing")


def video_packets(data_or_path: bytes | Path) -> list[bytes]:
    """The video packets' payloads, in decode order."""
    import io

    source = io.BytesIO(data_or_path) if isinstance(data_or_path, bytes) else str(data_or_path)
    with av.open(source) as container:
        return [bytes(p) for p in container.demux(container.streams.video[0]) if p.size]


def has_window_of(plaintext: bytes, ciphertext: bytes, width: int = 32) -> bool:
    """Whether any ``width``-byte substring of ``plaintext`` appears anywhere in ``ciphertext``."""
    windows = {ciphertext[i : i + width] for i in range(len(ciphertext) - width + 1)}
    return any(plaintext[i : i + width] in windows for i in range(len(plaintext) - width + 1))


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """10 s, 25 fps, a keyframe every second: with AAC audio in MP4, MPEG-TS and MKV; without; with B-frames."""
    folder = tmp_path_factory.mktemp("clips")
    return {
        "mp4": write_clip(folder / "audio.mp4"),
        "mpegts": write_clip(folder / "audio.ts", container="mpegts", audio="mp2"),
        "matroska": write_clip(folder / "audio.mkv"),
        "silent": write_clip(folder / "silent.mp4", audio=None),
        "bframes": write_clip(folder / "bframes.mp4", bframes=True),
    }


def new_bucket(endpoint: str) -> str:
    import boto3

    bucket = f"footage-{secrets.token_hex(4)}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=S3_CREDENTIALS[0],
        aws_secret_access_key=S3_CREDENTIALS[1],
    )
    client.create_bucket(Bucket=bucket)
    return bucket


@pytest.fixture(params=["directory", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> FootageStore:
    """Each test using it runs against both backends: a fresh directory, a fresh bucket."""
    if request.param == "directory":
        return DirectoryStore(tmp_path / "footage", reserve_bytes=0)
    from jikimi.engine.footage.storage.s3 import S3Store

    endpoint = request.getfixturevalue("s3_endpoint")
    return S3Store(new_bucket(endpoint), prefix="vault", endpoint_url=endpoint, credentials=S3_CREDENTIALS)
