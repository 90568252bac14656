"""jikimi.engine.footage — the storage half of the vault, as pure engine pieces.

No Django, no settings, no clock: plain values and dataclasses in and out. The Django vault app
(ingest, playback, retention, holds, destruction) calls these; it owns the index, the wrapped keys
and the audit entries.

    probe       validate an input file (MP4/MOV, MPEG-TS, MKV; H.264/HEVC) before producing anything
    segmenter   remux into fixed-length, video-only fragmented-MP4 segments (법 제25조⑤: no audio);
                cut a segment down to the recording hours (keep_within, R9)
    keys        the master key (file 0600 or a provided value) and per-(device, day) data keys, wrapped
    envelope    chunked AES-256-GCM: seekable, authenticated per chunk; re-encryption for legal holds
    storage     DirectoryStore and S3Store behind one interface, atomic puts, store_from_url()
    ingest      segmenter → envelope → store, returning the vault's index rows; all or nothing
    fmp4        split a segment into its init part and timed fragments (HLS playback)
    holds       re-encrypt a segment under a legal hold's key into a separate store (R18)
    errors      the exception hierarchy (drawn in its docstring)

The file formats (envelope header, nonces, AAD, wrapped keys) are specified in the docstrings of
`envelope` and `keys`, precisely enough for another implementation to read the vault's objects.
"""

from jikimi.engine.footage.envelope import (
    DEFAULT_CHUNK_SIZE,
    EnvelopeInfo,
    EnvelopeReader,
    decrypt_range,
    decrypt_stream,
    encrypt_bytes,
    encrypt_stream,
    reencrypt,
    verify,
)
from jikimi.engine.footage.errors import (
    ChunkError,
    EnvelopeError,
    FootageError,
    FootageRejected,
    HeaderError,
    IngestError,
    KeyFileError,
    KeyUnwrapError,
    ObjectNotFound,
    StorageConfigError,
    StorageError,
    StorageFull,
    TruncatedError,
    WrongKeyError,
)
from jikimi.engine.footage.fmp4 import Fmp4Error, Fmp4Layout, Fragment, fmp4_layout, init_length, media_bytes
from jikimi.engine.footage.holds import HeldSegment, hold_segment
from jikimi.engine.footage.ingest import (
    IndexRow,
    IngestReport,
    KeepSpans,
    KeyForDay,
    ingest_file,
    store_segment,
)
from jikimi.engine.footage.keys import (
    DataKey,
    MasterKey,
    day_key_id,
    hold_key_id,
    rewrap_data_key,
    unwrap_data_key,
    wrap_data_key,
)
from jikimi.engine.footage.probe import ProbeResult, probe
from jikimi.engine.footage.segmenter import (
    DEFAULT_SEGMENT_SECONDS,
    Segment,
    Segmentation,
    Span,
    iter_segments,
    keep_within,
    segment_file,
)
from jikimi.engine.footage.storage import DirectoryStore, FootageStore, StoredObject, store_from_url

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_SEGMENT_SECONDS",
    "ChunkError",
    "DataKey",
    "DirectoryStore",
    "EnvelopeError",
    "EnvelopeInfo",
    "EnvelopeReader",
    "Fmp4Error",
    "Fmp4Layout",
    "FootageError",
    "FootageRejected",
    "FootageStore",
    "Fragment",
    "HeaderError",
    "HeldSegment",
    "IndexRow",
    "IngestError",
    "IngestReport",
    "KeepSpans",
    "KeyFileError",
    "KeyForDay",
    "KeyUnwrapError",
    "MasterKey",
    "ObjectNotFound",
    "ProbeResult",
    "Segment",
    "Segmentation",
    "Span",
    "StorageConfigError",
    "StorageError",
    "StorageFull",
    "StoredObject",
    "TruncatedError",
    "WrongKeyError",
    "day_key_id",
    "decrypt_range",
    "decrypt_stream",
    "encrypt_bytes",
    "encrypt_stream",
    "fmp4_layout",
    "hold_key_id",
    "hold_segment",
    "ingest_file",
    "init_length",
    "iter_segments",
    "keep_within",
    "media_bytes",
    "probe",
    "reencrypt",
    "rewrap_data_key",
    "segment_file",
    "store_from_url",
    "store_segment",
    "unwrap_data_key",
    "verify",
    "wrap_data_key",
]
