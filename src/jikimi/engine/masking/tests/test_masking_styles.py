"""Mask styles on yuv420p planes: mosaic cells are uniform, nothing of the original survives."""

from __future__ import annotations

import av
import numpy as np
import pytest

from jikimi.engine.masking.styles import MaskShape, apply_shape, cell_size, frame_planes, polygon_mask


def noisy_frame(width: int = 160, height: int = 120, seed: int = 3) -> av.VideoFrame:
    rng = np.random.default_rng(seed)
    rgb = rng.integers(0, 256, size=(height, width, 3), dtype=np.uint8)
    return av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(format="yuv420p")


def test_mosaic_cells_are_uniform_and_each_is_the_mean_of_its_pixels():
    frame = noisy_frame()
    y, u, v = frame_planes(frame)
    original = y.copy()
    apply_shape((y, u, v), MaskShape((21, 13, 99, 77), "mosaic"), cell=16)
    # The box is widened to the 16 px grid: 16…112 × 0…80.
    for top in range(0, 80, 16):
        for left in range(16, 112, 16):
            cell = y[top : top + 16, left : left + 16]
            assert cell.min() == cell.max()
            assert abs(int(cell[0, 0]) - original[top : top + 16, left : left + 16].mean()) <= 0.5
    for plane in (u, v):
        for top in range(0, 40, 8):
            for left in range(8, 56, 8):
                cell = plane[top : top + 8, left : left + 8]
                assert cell.min() == cell.max()
    # Outside the widened box nothing changed.
    assert np.array_equal(y[:, :16], original[:, :16])
    assert np.array_equal(y[80:], original[80:])


@pytest.mark.parametrize("style", ["mosaic", "blur", "solid"])
def test_every_style_destroys_the_detail_inside_the_mask(style):
    frame = noisy_frame()
    y, u, v = frame_planes(frame)
    original = y.copy()
    apply_shape((y, u, v), MaskShape((32, 32, 96, 96), style), cell=16)
    inside = y[32:96, 32:96].astype(int)
    # Neighbouring pixels of random noise differ by ~50 on average; masked ones barely differ.
    assert np.abs(np.diff(original[32:96, 32:96].astype(int), axis=1)).mean() > 40
    assert np.abs(np.diff(inside, axis=1)).mean() < 12
    if style == "solid":
        assert (inside == 16).all()


def test_cell_size_follows_the_box_and_is_even():
    assert cell_size((0, 0, 200, 100), cells=8, min_cell=8) == 26
    assert cell_size((0, 0, 20, 20), cells=8, min_cell=8) == 8
    assert all(cell_size((0, 0, w, w), 7, 3) % 2 == 0 for w in range(5, 300, 7))


def test_a_polygon_masks_only_its_inside():
    frame = noisy_frame()
    y, u, v = frame_planes(frame)
    original = y.copy()
    triangle = ((16.0, 16.0), (112.0, 16.0), (16.0, 112.0))
    apply_shape((y, u, v), MaskShape((16, 16, 112, 112), "solid", triangle), cell=16)
    inside = polygon_mask(triangle, 0, 0, 160, 120)
    assert (y[inside] == 16).all()
    assert np.array_equal(y[~inside], original[~inside])


def test_planes_are_views_of_the_frame():
    frame = noisy_frame()
    y, _, _ = frame_planes(frame)
    y[:] = 77
    assert (frame.to_ndarray()[:120] == 77).all()  # raw yuv420p: the Y rows come first


@pytest.mark.parametrize(
    ("top", "left", "height", "width", "cell"), [(96, 160, 160, 128, 16), (40, 24, 48, 64, 8)]
)
def test_whole_cell_mosaic_equals_the_general_one(top, left, height, width, cell):
    """Regions of whole grid cells take a faster path; it must give the same pixels."""
    from jikimi.engine.masking import styles

    rng = np.random.default_rng(5)
    plane = rng.integers(0, 256, size=(320, 384), dtype=np.uint8)
    fast, general = plane.copy(), plane.copy()
    styles._mosaic(fast[top : top + height, left : left + width], top, left, cell)
    # One column more makes the region no longer whole cells: the general path, then compare inside.
    region = general[top : top + height, left : left + width + 1]
    styles._mosaic(region, top, left, cell)
    assert np.array_equal(fast[top : top + height, left : left + width], region[:, :width])
    assert np.array_equal(fast[:, :left], plane[:, :left])
    assert not np.array_equal(fast, plane)
