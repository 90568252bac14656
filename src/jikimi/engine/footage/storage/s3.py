"""S3 (or an S3-compatible store: MinIO, Ceph RGW, moto in tests) as the footage store.

Atomicity comes from S3 itself: an object appears only when a PUT completes, or when a multipart
upload is completed; a failed multipart upload is aborted so that no parts linger (and are billed).
Free space is not a notion S3 has, so `check_free_space` never refuses; quota errors surface from
the PUT as StorageError.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any, BinaryIO

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from jikimi.engine.footage.errors import ObjectNotFound, StorageConfigError, StorageError
from jikimi.engine.footage.storage.base import (
    FootageStore,
    StoredObject,
    as_reader,
    check_object_name,
    check_prefix,
    payload_size,
)

DEFAULT_MULTIPART_THRESHOLD = 64 << 20
DEFAULT_PART_SIZE = 16 << 20
MIN_PART_SIZE = 5 << 20  # S3's minimum for every part but the last
_NOT_FOUND = {"404", "NoSuchKey", "NotFound"}


class S3Store(FootageStore):
    def __init__(
        self,
        bucket: str,
        *,
        prefix: str = "",
        endpoint_url: str | None = None,
        region: str | None = None,
        credentials: tuple[str, str] | None = None,
        multipart_threshold: int = DEFAULT_MULTIPART_THRESHOLD,
        part_size: int = DEFAULT_PART_SIZE,
    ) -> None:
        if part_size < MIN_PART_SIZE:
            raise StorageConfigError(f"S3 part size must be at least {MIN_PART_SIZE} bytes, got {part_size}")
        check_prefix(prefix)
        self.bucket = bucket
        self.prefix = prefix.rstrip("/") + "/" if prefix else ""
        self.multipart_threshold = multipart_threshold
        self.part_size = part_size
        self.url = f"s3://{bucket}/{self.prefix}"
        # Path-style addressing for explicit endpoints: MinIO and moto do not resolve bucket subdomains.
        config = Config(
            s3={"addressing_style": "path"} if endpoint_url else {},
            retries={"max_attempts": 5, "mode": "standard"},
        )
        kwargs: dict[str, Any] = {
            "endpoint_url": endpoint_url,
            "region_name": region or "us-east-1",
            "config": config,
        }
        if credentials is not None:
            kwargs["aws_access_key_id"], kwargs["aws_secret_access_key"] = credentials
        self.client = boto3.client("s3", **kwargs)

    def __repr__(self) -> str:
        return f"S3Store({self.url!r})"

    def _key(self, name: str) -> str:
        return self.prefix + check_object_name(name)

    def location(self, name: str) -> str:
        return f"s3://{self.bucket}/{self._key(name)}"

    def _fail(self, exc: Exception, what: str, name: str | None = None) -> StorageError:
        where = self.url if name is None else self.location(name)
        if isinstance(exc, ClientError):
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in _NOT_FOUND and name is not None:
                return ObjectNotFound(f"{where}: no such object")
            if code == "NoSuchBucket":
                return StorageConfigError(f"{self.url}: bucket {self.bucket!r} does not exist")
        return StorageError(f"{where}: cannot {what} ({exc})")

    def free_bytes(self) -> None:
        return None

    def check_free_space(self, size: int, name: str = "") -> None:
        return None

    def put(self, name: str, data: bytes | BinaryIO, *, size: int | None = None) -> StoredObject:
        key = self._key(name)
        known = payload_size(data, size)
        try:
            if known is not None and known <= self.multipart_threshold:
                body = (
                    bytes(data)
                    if isinstance(data, bytes | bytearray | memoryview)
                    else as_reader(data).read()
                )
                self.client.put_object(Bucket=self.bucket, Key=key, Body=body)
                written = len(body)
            else:
                written = self._put_multipart(key, as_reader(data))
        except (ClientError, BotoCoreError) as exc:
            raise self._fail(exc, "store the object; nothing was stored", name) from None
        return StoredObject(name, written, self.location(name))

    def _put_multipart(self, key: str, reader: BinaryIO) -> int:
        upload_id = self.client.create_multipart_upload(Bucket=self.bucket, Key=key)["UploadId"]
        try:
            parts: list[dict[str, Any]] = []
            written = 0
            while True:
                block = reader.read(self.part_size)
                if not block and parts:
                    break
                number = len(parts) + 1
                response = self.client.upload_part(
                    Bucket=self.bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=io.BytesIO(block)
                )
                parts.append({"ETag": response["ETag"], "PartNumber": number})
                written += len(block)
                if len(block) < self.part_size:
                    break
            self.client.complete_multipart_upload(
                Bucket=self.bucket, Key=key, UploadId=upload_id, MultipartUpload={"Parts": parts}
            )
        except BaseException:
            # Nothing becomes visible, and no orphan parts stay behind.
            self.client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)
            raise
        return written

    def get_range(self, name: str, start: int = 0, end: int | None = None) -> bytes:
        if start < 0 or (end is not None and end < start):
            raise ValueError(f"invalid range [{start}, {end})")
        key = self._key(name)
        if end == start:
            if not self.exists(name):
                raise ObjectNotFound(f"{self.location(name)}: no such object")
            return b""
        byte_range = f"bytes={start}-" if end is None else f"bytes={start}-{end - 1}"
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=key, Range=byte_range)
            return bytes(response["Body"].read())
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "InvalidRange":
                return b""  # a range starting at or past the end, as a file read would give
            raise self._fail(exc, "read the object", name) from None
        except BotoCoreError as exc:
            raise self._fail(exc, "read the object", name) from None

    def size(self, name: str) -> int:
        try:
            return int(self.client.head_object(Bucket=self.bucket, Key=self._key(name))["ContentLength"])
        except (ClientError, BotoCoreError) as exc:
            raise self._fail(exc, "read the object's size", name) from None

    def exists(self, name: str) -> bool:
        try:
            self.size(name)
        except ObjectNotFound:
            return False
        return True

    def delete(self, name: str) -> bool:
        existed = self.exists(name)
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._key(name))
        except (ClientError, BotoCoreError) as exc:
            raise self._fail(exc, "delete the object", name) from None
        return existed

    def list(self, prefix: str = "") -> Iterator[str]:
        check_prefix(prefix)
        paginator = self.client.get_paginator("list_objects_v2")
        names: list[str] = []
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + prefix):
                names.extend(item["Key"][len(self.prefix) :] for item in page.get("Contents", []))
        except (ClientError, BotoCoreError) as exc:
            raise self._fail(exc, f"list objects under {prefix!r}") from None
        yield from sorted(names)
