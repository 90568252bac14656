"""The review contact sheet is a real PNG showing sampled frames."""

from __future__ import annotations

import av

from jikimi.engine.masking.preview import write_preview


def test_preview_writes_a_contact_sheet_png_with_the_tracks(two_faces_clip, tmp_path):
    out = tmp_path / "sheet.png"
    result = write_preview(two_faces_clip[0], out, samples=6)
    assert result.samples == 6 and len(result.track_ids) >= 2
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with av.open(str(out)) as container:
        image = next(container.decode(video=0)).to_ndarray(format="rgb24")
    assert image.shape[1] > 3 * 320 and image.shape[0] > 2 * 240
    # Track boxes are drawn in pure red.
    red = (image[..., 0] == 230) & (image[..., 1] == 40) & (image[..., 2] == 40)
    assert red.sum() > 500
