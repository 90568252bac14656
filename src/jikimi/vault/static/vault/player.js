// The viewing page's player: one HLS timeline over the viewing's range (hls.js on Media Source
// Extensions), the playhead's wall-clock time in KST, and a timeline bar that seeks where it is
// clicked. Gaps have no media, so playback passes over them; the bar shows them with their reason.
(function () {
  "use strict";
  const root = document.querySelector("[data-playlist]");
  if (!root) return;
  const video = root.querySelector("video");
  const clock = root.querySelector("[data-clock]");
  const error = root.querySelector("[data-error]");
  const bar = document.querySelector("[data-timeline-seek]");
  const head = bar && bar.querySelector("[data-playhead]");
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Asia/Seoul", hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit",
  });
  let fragments = []; // hls.js fragments: start, duration (media seconds) and programDateTime (ms)

  function kst(ms) {
    const p = Object.fromEntries(parts.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
  }

  function fail(message) {
    error.textContent = message;
    error.hidden = false;
  }

  // Media time → wall clock (ms): from the fragment playing, as EXT-X-PROGRAM-DATE-TIME states it.
  function wallAt(time) {
    let found = null;
    for (const f of fragments) {
      if (f.start <= time + 1e-3) found = f;
      else break;
    }
    if (!found || found.programDateTime == null) return null;
    return found.programDateTime + Math.max(0, time - found.start) * 1000;
  }

  // Wall clock (ms) → media time; a moment in a gap goes to the footage that follows it.
  function timeAt(wall) {
    for (const f of fragments) {
      const end = f.programDateTime + f.duration * 1000;
      if (wall < end) return f.start + Math.max(0, wall - f.programDateTime) / 1000;
    }
    const last = fragments[fragments.length - 1];
    return last ? last.start + Math.max(0, last.duration - 0.1) : 0;
  }

  function show() {
    const wall = wallAt(video.currentTime);
    if (wall == null) return;
    clock.textContent = kst(wall);
    clock.dataset.wallMs = String(Math.round(wall));
    if (head) {
      const from = Number(bar.dataset.startMs);
      const to = Number(bar.dataset.endMs);
      head.style.left = `${(100 * (wall - from)) / (to - from)}%`;
      head.hidden = false;
    }
  }

  const url = root.dataset.playlist;
  if (window.Hls && window.Hls.isSupported()) {
    const hls = new window.Hls({ maxBufferLength: 30 });
    hls.on(window.Hls.Events.LEVEL_LOADED, (_event, data) => {
      fragments = data.details.fragments;
      show();
    });
    hls.on(window.Hls.Events.ERROR, (_event, data) => {
      if (!data.fatal) return;
      const status = data.response && data.response.code;
      fail(
        status === 409
          ? "영상 조각이 변조되었거나 잘려 재생하지 않습니다. 관리자에게 알리세요."
          : status === 403
            ? "열람 시한이 지났습니다. 목적을 적고 다시 여세요."
            : `재생할 수 없습니다 (${data.details}).`,
      );
      hls.destroy();
    });
    hls.loadSource(url);
    hls.attachMedia(video);
  } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
    video.src = url; // Safari's own HLS: plays, but the KST clock is not available
  } else {
    fail("이 브라우저는 영상 재생(Media Source Extensions)을 지원하지 않습니다.");
  }

  video.addEventListener("timeupdate", show);
  video.addEventListener("seeked", show);
  video.addEventListener("error", () => fail("영상을 재생할 수 없습니다."));

  function seek(wall) {
    if (!fragments.length) return;
    video.currentTime = timeAt(wall);
    show();
  }

  if (bar) {
    const strip = bar.querySelector(".jk-timeline-bar");
    strip.addEventListener("click", (event) => {
      const box = strip.getBoundingClientRect();
      const from = Number(bar.dataset.startMs);
      const to = Number(bar.dataset.endMs);
      const share = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
      seek(from + share * (to - from));
    });
    // The span list's buttons do the same from the keyboard.
    for (const button of bar.querySelectorAll("[data-seek-ms]")) {
      button.addEventListener("click", () => seek(Number(button.dataset.seekMs)));
    }
  }
})();
