"""The simulated cameras' RTCP sender reports (RFC 3550 §6.4.1): the wall clock a camera tells."""

from __future__ import annotations

import struct

import pytest
from tools.simcam.rtsp import NTP_EPOCH, RTCP_SR, sender_report


def test_a_sender_report_carries_the_cameras_wall_clock_in_ntp_format() -> None:
    wall = 1_796_647_045.25  # 2026-12-07, a quarter past the second
    report = sender_report(0xDEADBEEF, wall, 2**32 + 7, 1234, 567_890)
    assert len(report) == 28  # header + sender info, no reception blocks
    first, kind, length, ssrc, seconds, fraction, rtp, packets, octets = struct.unpack("!BBHIIIIII", report)
    assert (first >> 6, kind, length, ssrc) == (2, RTCP_SR, 6, 0xDEADBEEF)
    assert seconds + fraction / 2**32 - NTP_EPOCH == pytest.approx(wall, abs=1e-6)
    assert (rtp, packets, octets) == (7, 1234, 567_890)  # the RTP timestamp wraps as RTP's does
