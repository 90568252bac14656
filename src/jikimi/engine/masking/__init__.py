"""jikimi.engine.masking — mask faces and plates in footage for disclosure, and seal the result.

Its public names (``mask_video``, ``MaskSpec``, ``parse_spec`` …) are re-exported lazily by
``jikimi.engine``; the command line is ``python -m jikimi.engine`` (``jikimi.engine.cli``).

    spec          the mask spec: everything an officer decides about one export, as validated JSON
    pipeline      decode → detect → track → mask → encode, overlapped on two cores; ``mask_video``
    analysis      which detector runs on which part of which frame, and how results become tracks
    detect/       detectors behind one interface, registered by key (``centerface``, ``text``)
    model_store   detector models prepared once from installed wheels into ``jikimi/engine/data/models``
    tracking      mask tracks: detections joined across frames, with look-ahead back-fill
    geometry      axis-aligned boxes in frame pixels
    render        one frame's tracks, manual regions and watermark → masked pixels
    styles        mask styles, applied in place on the planes of a yuv420p frame
    watermark     burned-in watermark text
    media         reading footage and writing masked clips with PyAV, never leaving a partial file
    preview       review aid: a contact sheet of sampled frames with each track's box and id
    package       export packages: masked clips, a manifest of SHA-256 hashes, an Ed25519 signature
"""
