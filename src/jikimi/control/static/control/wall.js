// The live wall: each tile plays its camera's LL-HLS window from the recorder (hls.js in low-latency
// mode), shows the picture's wall-clock time (KST) and its latency against this computer's clock
// (#JIKIMI-RECEIVED in the playlist: when the recorder received the segment's first frame; see
// jikimi.control.live_stream for why not EXT-X-PROGRAM-DATE-TIME). A full-size tile can go back over
// the window's last minutes (instant replay) and return to live.
(function () {
  "use strict";
  const wall = document.querySelector("[data-wall]");
  if (!wall || !window.Hls) return;
  const replay = wall.classList.contains("jk-wall-replay");
  const format = new Intl.DateTimeFormat("ko-KR", {
    timeZone: "Asia/Seoul", hourCycle: "h23", hour: "2-digit", minute: "2-digit", second: "2-digit",
  });
  const players = [];

  function start(tile) {
    const video = tile.querySelector("video");
    const error = tile.querySelector("[data-error]");
    const hls = new window.Hls({
      lowLatencyMode: true,
      liveDurationInfinity: true,
      backBufferLength: replay ? 300 : 10,
      maxLiveSyncPlaybackRate: 1.5, // catch up after a stall instead of staying behind
      // ...and do not hold back a second more for every stall (hls.js' default): on the wall a stall
      // is the recorder reconnecting, not a slow network, and the picture must stay live (under 2 s).
      liveSyncOnStallIncrease: 0,
      enableWorker: true,
    });
    const player = { tile, video, hls, error, problems: [], shownTime: -1, advancedAt: performance.now(),
      startedAt: performance.now() };
    hls.on(window.Hls.Events.ERROR, (_, data) => {
      // Kept for the browser test and the bench: a stall shows here before it shows on screen.
      player.problems.push(`${data.type}:${data.details}`);
      if (player.problems.length > 50) player.problems.shift();
      if (!data.fatal) return;
      error.textContent = "실시간 영상을 받을 수 없습니다. 다시 연결합니다…";
      error.hidden = false;
      drop(player);
      // ...unless the watchdog or the 실시간 button has started another meanwhile.
      setTimeout(() => { if (tile.jikimiPlayer === player) start(tile); }, 3000);
    });
    hls.on(window.Hls.Events.FRAG_BUFFERED, () => { if (!player.restarting) error.hidden = true; });
    hls.loadSource(tile.dataset.playlist);
    hls.attachMedia(video);
    video.play().catch(() => {});
    players.push(player);
    tile.jikimiPlayer = player;
  }

  function drop(player) {
    const index = players.indexOf(player);
    if (index >= 0) players.splice(index, 1);
    player.hls.destroy();
  }

  // A fresh player on the tile, joining the live edge; the message stays until its picture moves.
  function restart(player, reason, message) {
    drop(player);
    start(player.tile);
    const fresh = player.tile.jikimiPlayer;
    fresh.problems = player.problems.concat([`watchdog:${reason}`]);
    fresh.restarting = true;
    fresh.error.textContent = message;
    fresh.error.hidden = false;
  }

  // A tile never stays frozen or behind: a picture that has not moved for FROZEN_MS while playing (the
  // recorder or the network stalled and hls.js waits on a part that is gone), or, on the live wall, one
  // more than BEHIND_MS behind the live edge, joins the live edge again with a fresh player — as an
  // operator would press 실시간. A paused video (replay) is the operator's choice and is left alone.
  const FROZEN_MS = 6000, NEVER_STARTED_MS = 20000, BEHIND_MS = 8000;
  function watch() {
    const now = performance.now();
    for (const player of players.slice()) {
      const time = player.video.currentTime;
      if (time !== player.shownTime) {
        if (player.shownTime >= 0 && player.restarting) {
          player.restarting = false;
          player.error.hidden = true;
        }
        player.shownTime = time;
        player.advancedAt = now;
        continue;
      }
      if (player.video.paused && player.shownTime > 0) continue;
      const limit = player.shownTime > 0 ? FROZEN_MS : NEVER_STARTED_MS;
      if (now - player.advancedAt > limit) {
        restart(player, "frozen", "영상이 멈췄습니다. 다시 연결합니다…");
        continue;
      }
    }
    if (replay) return;
    for (const player of players.slice()) {
      // hls.js' own distance from the live edge, not our clock against the recorder's (an operator's
      // PC may be seconds off); a fresh player is given time to reach the edge.
      const settled = now - player.startedAt > 2 * FROZEN_MS;
      if (settled && player.hls.latency * 1000 > BEHIND_MS) {
        restart(player, "behind", "실시간보다 늦어 다시 연결합니다…");
      }
    }
  }

  // The replay buttons, once per tile: they act on the tile's player of the moment.
  function controls(tile) {
    for (const button of tile.querySelectorAll("[data-back]")) {
      button.addEventListener("click", () => {
        const video = tile.jikimiPlayer.video;
        const back = Number(button.dataset.back);
        const earliest = video.seekable.length ? video.seekable.start(0) : 0;
        video.currentTime = Math.max(earliest, video.currentTime - back);
        video.play().catch(() => {});
      });
    }
    const live = tile.querySelector("[data-live]");
    if (live) {
      // Back to live: a fresh player joins at the live edge, as the wall does. Seeking forward in the
      // running one stalled: seconds behind, hls.js loads whole segments, and the edge is only parts
      // (the picture froze for seconds in the browser test).
      live.addEventListener("click", () => {
        drop(tile.jikimiPlayer);
        start(tile);
      });
    }
  }

  // When the picture on screen was received: the date of the last segment at or before the play
  // position, plus the time played into it (a connection's dates differ exactly by its durations).
  function playingDate(player) {
    const level = player.hls.levels[player.hls.currentLevel];
    const fragments = level && level.details ? level.details.fragments : [];
    const time = player.video.currentTime;
    for (let i = fragments.length - 1; i >= 0; i--) {
      const fragment = fragments[i];
      if (fragment.start > time) continue;
      const tag = fragment.tagList.find((t) => t[0] === "JIKIMI-RECEIVED");
      if (!tag) continue;
      return new Date(Date.parse(tag[1]) + (time - fragment.start) * 1000);
    }
    return null;
  }

  function latencyOf(player) {
    const date = playingDate(player);
    if (!date || player.video.paused) return null;
    return Date.now() - date.getTime();
  }

  function show() {
    for (const player of players) {
      const date = playingDate(player);
      const clock = player.tile.querySelector("[data-clock]");
      const latency = player.tile.querySelector("[data-latency]");
      if (!date) continue;
      clock.textContent = format.format(date);
      clock.dataset.wallMs = String(date.getTime());
      const ms = latencyOf(player);
      if (ms != null) {
        latency.textContent = `지연 ${(ms / 1000).toFixed(1)}초`;
        latency.dataset.ms = String(Math.round(ms));
        latency.hidden = false;
      }
    }
  }

  for (const tile of wall.querySelectorAll("[data-tile]")) {
    start(tile);
    controls(tile);
  }
  setInterval(show, 250);
  setInterval(watch, 1000);
  // For the browser test and the bench: each tile's latency (ms) now, null before it plays.
  window.jikimiWall = {
    latencies: () => players.map(latencyOf),
    problems: () => players.map((player) => player.problems.slice()),
  };
})();
