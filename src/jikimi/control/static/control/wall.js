// The live wall: each tile plays its camera's LL-HLS window from the recorder (hls.js in low-latency
// mode), shows the picture's wall-clock time (KST) and its latency against this computer's clock
// (EXT-X-PROGRAM-DATE-TIME is when the recorder received the frame). A full-size tile can go back over
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
      enableWorker: true,
    });
    const player = { tile, video, hls, error };
    hls.on(window.Hls.Events.ERROR, (_, data) => {
      if (!data.fatal) return;
      error.textContent = "실시간 영상을 받을 수 없습니다. 다시 연결합니다…";
      error.hidden = false;
      hls.destroy();
      setTimeout(() => { players.splice(players.indexOf(player), 1); start(tile); }, 3000);
    });
    hls.on(window.Hls.Events.FRAG_BUFFERED, () => { error.hidden = true; });
    hls.loadSource(tile.dataset.playlist);
    hls.attachMedia(video);
    video.play().catch(() => {});
    players.push(player);
    for (const button of tile.querySelectorAll("[data-back]")) {
      button.addEventListener("click", () => {
        const back = Number(button.dataset.back);
        const earliest = video.seekable.length ? video.seekable.start(0) : 0;
        video.currentTime = Math.max(earliest, video.currentTime - back);
        video.play().catch(() => {});
      });
    }
    const live = tile.querySelector("[data-live]");
    if (live) {
      live.addEventListener("click", () => {
        const ranges = video.seekable;
        const edge = ranges.length ? ranges.end(ranges.length - 1) : 0;
        // Back to the live edge, less the hold-back the playlist asks for (PART-HOLD-BACK).
        video.currentTime = Math.max(hls.liveSyncPosition || 0, edge - 1.2);
        video.play().catch(() => {});
      });
    }
  }

  function latencyOf(player) {
    const date = player.hls.playingDate;
    if (!date || player.video.paused) return null;
    return Date.now() - date.getTime();
  }

  function show() {
    for (const player of players) {
      const date = player.hls.playingDate;
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

  for (const tile of wall.querySelectorAll("[data-tile]")) start(tile);
  setInterval(show, 250);
  // For the browser test and the bench: each tile's latency (ms) now, null before it plays.
  window.jikimiWall = {
    latencies: () => players.map(latencyOf),
  };
})();
