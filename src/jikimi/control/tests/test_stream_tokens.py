"""The live wall's part tokens: served without the Django stack, and only within the stated bound
(issue 17; R36, R38, R41; control.stream_tokens)."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from jikimi.accounts.actions.grants import revoke_role
from jikimi.accounts.models import RoleGrant
from jikimi.accounts.testing import log_in, make_user
from jikimi.control import stream_tokens
from jikimi.control.actions.live import open_live_viewing
from jikimi.control.tests.test_live_wall import _actor, _publish, cameras  # noqa: F401  (fixture)
from jikimi.vault.tests.conftest import ACTOR

pytestmark = pytest.mark.django_db

NOW = datetime.fromisoformat("2026-12-07T10:00:00+09:00")


def test_a_token_is_bound_to_viewing_camera_session_and_time():
    now = NOW.timestamp()
    token = stream_tokens.mint(7, 3, 5, "session-a", now=now)
    assert stream_tokens.verify(token, 3, 5, "session-a", now=now)
    assert stream_tokens.verify(token, 3, 5, "session-a", now=now + stream_tokens.TOKEN_SECONDS)
    assert not stream_tokens.verify(token, 3, 5, "session-a", now=now + stream_tokens.MAX_SECONDS + 1)
    assert not stream_tokens.verify(token, 3, 6, "session-a", now=now)  # another camera
    assert not stream_tokens.verify(token, 4, 5, "session-a", now=now)  # another viewing
    assert not stream_tokens.verify(token, 3, 5, "session-b", now=now)  # another session
    assert not stream_tokens.verify(token, 3, 5, "", now=now)  # no session cookie
    user, expires, mac = token.split(".")
    assert not stream_tokens.verify(f"8.{expires}.{mac}", 3, 5, "session-a", now=now)  # another person
    later = int(expires) + 3600
    assert not stream_tokens.verify(f"{user}.{later}.{mac}", 3, 5, "session-a", now=now)  # stretched
    tampered = mac[:-1] + ("1" if mac.endswith("0") else "0")  # the key is random: so is the last digit
    assert not stream_tokens.verify(f"{user}.{expires}.{tampered}", 3, 5, "session-a", now=now)
    for garbage in ("", "...", "a.b.c", f"{user}.{expires}", "-1.-1.x", "1" * 40 + ".1.x"):
        assert not stream_tokens.verify(garbage, 3, 5, "session-a", now=now)


def _part_url(text: str) -> str:
    found = re.search(r'URI="(/control/live/[^"]+/part/1\.0\.m4s\?t=[^"]+)"', text)
    assert found, text
    return found.group(1)


def _watching(cameras, client: Client, settings, tmp_path):  # noqa: F811
    settings.LIVE_DIR = tmp_path
    _publish(tmp_path / cameras["safety"].storage_name)
    operator = make_user("op", "operator", departments=["안전총괄과"])
    viewing = open_live_viewing(_actor(operator), [cameras["safety"]], size=1)
    log_in(client, operator)
    playlist = client.get(reverse("control:live_playlist", args=[viewing.pk, cameras["safety"].pk]))
    assert playlist.status_code == 200
    return operator, viewing, playlist.text


def test_a_token_bearing_part_is_served_without_a_query(cameras, client: Client, settings, tmp_path):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with time_machine.travel(NOW, tick=False):
        operator, viewing, text = _watching(cameras, client, settings, tmp_path)
        url = _part_url(text)
        segment = re.search(r"^(/control/live/\S+/segment/0\.m4s\?t=\S+)$", text, re.M)
        assert segment
        playlist = reverse("control:live_playlist", args=[viewing.pk, cameras["safety"].pk])
        with CaptureQueriesContext(connection) as queries:
            part = client.get(url)
            whole = client.get(segment.group(1))
            again = client.get(playlist)  # within AUTHORIZED_SECONDS of the full view's checks
        assert again.status_code == 200 and "?t=" in again.text
        assert part.status_code == 200 and part.content == b"1.0.m4s" and part["Cache-Control"] == "no-store"
        assert whole.content == b"0.0.m4s0.1.m4s"
        assert len(queries.captured_queries) == 0
        path, token = url.split("?t=")
        # tampered, another camera of the same viewing, a file that is not there
        assert client.get(f"{path}?t={token[:-1]}{'0' if token[-1] != '0' else '1'}").status_code == 403
        other = path.replace(f"/{cameras['safety'].pk}/part/", f"/{cameras['safety2'].pk}/part/")
        assert client.get(f"{other}?t={token}").status_code == 403
        assert client.get(path.replace("/part/1.0.m4s", "/part/9.0.m4s") + f"?t={token}").status_code == 404
        # A name outside the `<id>.<id>.m4s` pattern never reaches the live directory (no route: 404).
        traversal = path.replace("/part/1.0.m4s", "/part/..%2F..%2Findex.json") + f"?t={token}"
        assert client.get(traversal).status_code == 404
        # Another session (the token leaked), or none (logged out), gets nothing.
        stranger = Client(REMOTE_ADDR=client.defaults.get("REMOTE_ADDR", "127.0.0.1"))
        log_in(stranger, operator)
        assert stranger.get(url).status_code == 403
        client.logout()
        assert client.get(url).status_code == 403


def test_a_revoked_grant_stops_the_stream_within_the_bound(cameras, client: Client, settings, tmp_path):  # noqa: F811
    with time_machine.travel(NOW, tick=False) as clock:
        operator, viewing, text = _watching(cameras, client, settings, tmp_path)
        url = _part_url(text)
        playlist = reverse("control:live_playlist", args=[viewing.pk, cameras["safety"].pk])
        revoke_role(ACTOR, RoleGrant.objects.get(user=operator, role="operator"), reason="근무 종료")
        # No new playlist within AUTHORIZED_SECONDS: the page's player lists no further part.
        clock.shift(stream_tokens.AUTHORIZED_SECONDS)
        assert client.get(playlist).status_code == 403
        # A kept token still opens the parts it names until it expires, never after MAX_SECONDS.
        clock.shift(stream_tokens.TOKEN_SECONDS - stream_tokens.AUTHORIZED_SECONDS - 1)
        assert client.get(url).status_code == 200
        clock.shift(stream_tokens.MAX_SECONDS - stream_tokens.TOKEN_SECONDS + 2)
        assert client.get(url).status_code == 403
        # and the playlist stays refused: no new token is minted.
        assert client.get(playlist).status_code == 403
