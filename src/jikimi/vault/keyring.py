"""The vault's master key, footage store and day keys (DESIGN "Keys and destruction").

The master key comes from the environment (settings.MASTER_KEY_TEXT, JIKIMI_MASTER_KEY) or from the
file settings.MASTER_KEY_FILE (created 0600 on first use by the engine); the store from settings.STORAGE_URL. Day segments are stored under "days/", held copies under
"holds/" — or in their own store when settings.HOLD_STORAGE_URL names one (R18: stored apart).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from django.conf import settings
from django.db import IntegrityError, transaction

from jikimi.engine.footage import DataKey, FootageStore, MasterKey, day_key_id, store_from_url
from jikimi.inventory.models import Device
from jikimi.lib.clock import today
from jikimi.rules.retention import RetentionError, parse_retention
from jikimi.vault.models import DayKey, Segment
from jikimi.vault.terms import device_terms

DAY_PREFIX = "days/"
HOLD_PREFIX = "holds/"


class FootageRefused(ValueError):
    """Footage that must not be stored (미보유, past retention, a destroyed day). Nothing is kept."""


@lru_cache(maxsize=4)
def _master_key(path: str) -> MasterKey:
    return MasterKey.load_or_create(path)


@lru_cache(maxsize=4)
def _master_key_from_text(text: str) -> MasterKey:
    return MasterKey.from_text(text, source="JIKIMI_MASTER_KEY")


def master_key() -> MasterKey:
    """From the environment when given (JIKIMI_MASTER_KEY), else the key file, created 0600 on first use."""
    text = getattr(settings, "MASTER_KEY_TEXT", "")
    if text:
        return _master_key_from_text(text)
    return _master_key(str(settings.MASTER_KEY_FILE))


@lru_cache(maxsize=8)
def _store(url: str) -> FootageStore:
    return store_from_url(url)


def footage_store() -> FootageStore:
    return _store(settings.STORAGE_URL)


def hold_store() -> FootageStore:
    return _store(getattr(settings, "HOLD_STORAGE_URL", "") or settings.STORAGE_URL)


def recorded_location(name: str, location: str) -> str:
    """What a segment row keeps of the location the store reported for `name`: nothing when it is the
    configured store's own location of the name (the usual case; derived again by segment_location),
    the URL itself when the object was written elsewhere. Saves ~90 bytes of each of a city's rows."""
    return "" if location == footage_store().location(name) else location


def segment_location(segment: Segment) -> str:
    """Where a segment's object is: its recorded location, or the configured store's for its name."""
    return segment.location or footage_store().location(segment.object_name)


def check_may_store(device: Device, day: date | None = None) -> None:
    """Refuse footage the register says must not be kept (R15 미보유) or that is already past retention."""
    terms = device_terms(device)
    try:
        retention = parse_retention(terms.retention)
    except RetentionError as error:
        raise FootageRefused(
            f"{terms.source}의 보관기간을 읽을 수 없어 영상을 저장하지 않습니다: {error}"
        ) from error
    if not retention.stores_footage:
        # 법 제25조①6호, 영 제22조① (R15): a non-storing group records nothing.
        raise FootageRefused(f"{terms.source}의 보관기간이 '미보유'라 영상을 저장할 수 없습니다 (R15)")
    if day is not None:
        expiry = retention.expiry(day)
        if expiry is not None and expiry <= today():
            raise FootageRefused(
                f"{day:%Y-%m-%d} 영상은 보관기간({retention.text()})이 지났으므로 저장할 수 없습니다 (R17)"
            )


def day_key(device: Device, day: date, *, create: bool = True) -> DataKey:
    """The device's data key for `day` (Asia/Seoul), created and wrapped on first use."""
    master = master_key()
    row = DayKey.objects.filter(device=device, day=day).first()
    if row is None:
        if not create:
            raise FootageRefused(f"{device} {day:%Y-%m-%d}의 데이터 키가 없습니다")
        check_may_store(device, day)
        key = DataKey.generate(day_key_id(device.storage_name, day))
        try:
            with transaction.atomic():
                DayKey.objects.create(device=device, day=day, key_id=key.key_id, wrapped_key=master.wrap(key))
            return key
        except IntegrityError:
            row = DayKey.objects.get(device=device, day=day)  # another writer created it first
    if row.wrapped_key is None:
        raise FootageRefused(f"{device} {day:%Y-%m-%d}의 영상은 이미 파기되었습니다 (키 파기)")
    return unwrap(row.wrapped_key, row.key_id)


def unwrap(wrapped: bytes | memoryview | None, key_id: str) -> DataKey:
    """Unwrap a stored key; a destroyed one (None) cannot be had back."""
    if wrapped is None:
        raise FootageRefused(f"키 {key_id}은(는) 파기되었습니다")
    return master_key().unwrap(bytes(wrapped), key_id)
