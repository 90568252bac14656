"""Optional detectors: text regions (plates) and motion-gated high-resolution tiles."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from jikimi.engine import mask_video, parse_spec
from jikimi.engine.errors import ModelError
from jikimi.engine.masking.analysis import tile_grid
from jikimi.engine.masking.detect.text_regions import _components, text_model_path
from jikimi.engine.masking.tests.conftest import masking_clip, read_luma, resize
from jikimi.engine.synthetic import textured_background

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def test_components_finds_each_blob_once():
    mask = np.zeros((20, 30), bool)
    mask[2:5, 3:9] = True
    mask[5, 9] = True  # diagonal neighbour: same component
    mask[10:15, 20:28] = True
    assert sorted(_components(mask)) == [(3, 2, 10, 6), (20, 10, 28, 15)]


def has_text_model() -> bool:
    try:
        text_model_path()
    except ModelError:
        return False
    return True


@pytest.mark.skipif(not has_text_model(), reason="pip install rapidocr_onnxruntime==1.4.4 --no-deps")
def test_a_plate_is_found_by_the_text_detector_and_masked(tmp_path):
    width, height = 640, 480
    plate = Image.new("RGB", (200, 56), (245, 245, 245))
    ImageDraw.Draw(plate).text((12, 8), "12GA 3456", font=ImageFont.truetype(FONT, 34), fill=(10, 10, 10))
    plate_rgb = np.asarray(plate)
    scene = np.full((height, width, 3), 90, np.uint8)

    def paint(i: int, rgb: np.ndarray) -> None:
        rgb[:] = scene
        rgb[300:356, 220:420] = plate_rgb

    source = masking_clip(tmp_path / "car.mp4", 10, width, height, paint)
    spec = parse_spec(
        json.dumps({"detection": {"plates": {"long_side": 640, "interval": 5}}, "style": {"kind": "solid"}})
    )
    result = mask_video(source, tmp_path / "out.mp4", spec)
    tracks = json.loads(result.tracks_file.read_text())["tracks"]
    assert {t["label"] for t in tracks} == {"plate"}
    for frame in read_luma(tmp_path / "out.mp4"):
        assert frame[310:346, 235:405].max() < 30  # the characters are gone in every frame


def test_tiles_cover_the_frame_with_overlap():
    tiles = tile_grid(1920, 1080, 640, 384)
    assert (len({t.x for t in tiles}), len({t.y for t in tiles})) == (4, 4)
    covered = np.zeros((1080, 1920), bool)
    for t in tiles:
        covered[t.y : t.y + t.height, t.x : t.x + t.width] = True
    assert covered.all()


def test_upscaled_tiles_find_a_face_the_full_frame_pass_misses(faces, tmp_path):
    width, height = 640, 480
    background = textured_background(width, height, seed=4)
    face = resize(faces[16], 17, 20)  # 20 px high at 640×480: below the full-frame pass's reach at 320 px

    def paint(i: int, rgb: np.ndarray) -> None:
        rgb[:] = background
        rgb[200:220, 300 + i : 317 + i] = face

    source = masking_clip(tmp_path / "far.mp4", 12, width, height, paint)
    coarse = parse_spec(json.dumps({"detection": {"input_size": [320, 256], "interval": 3}}))
    assert mask_video(source, tmp_path / "coarse.mp4", coarse).detector_runs == 4
    assert json.loads((tmp_path / "coarse.tracks.json").read_text())["tracks"] == []
    tiled = parse_spec(
        json.dumps(
            {"detection": {"input_size": [320, 256], "interval": 3, "tiles": {"scale": 2.0, "interval": 3}}}
        )
    )
    mask_video(source, tmp_path / "tiled.mp4", tiled)
    tracks = json.loads((tmp_path / "tiled.tracks.json").read_text())["tracks"]
    assert len(tracks) == 1
    box = tracks[0]["detections"][0]["box"]
    assert 290 < box[0] < 320 and 190 < box[1] < 215
