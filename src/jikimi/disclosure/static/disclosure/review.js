// The masking review page: the masked preview with the detected tracks drawn over it as boxes (faces
// red, the data subject green, dropped tracks grey, manual regions orange). A click on a box makes its
// track the subject (submits that track's form); "가릴 영역 그리기" lets the officer drag a rectangle,
// which fills the region form with video pixels and the current frame.
(function () {
  "use strict";
  const root = document.querySelector(".jk-review[data-video]");
  if (!root) return;
  const video = root.querySelector("video");
  const overlay = root.querySelector("[data-overlay]");
  const frameOut = root.querySelector("[data-frame]");
  const drawButton = root.querySelector("[data-draw]");
  const regionForm = document.querySelector("[data-region-form]");
  let data = null;
  let drawing = false;
  let sketchStart = null;
  let sketch = null;

  video.src = root.dataset.video;

  function frameNow() {
    if (!data || !data.fps) return 0;
    return Math.max(0, Math.min(data.frames - 1, Math.floor(video.currentTime * data.fps + 1e-3)));
  }

  // A track's box at `frame`: between two detections, interpolated; outside its span, none.
  function boxAt(boxes, frame) {
    if (!boxes.length || frame < boxes[0][0] || frame > boxes[boxes.length - 1][0]) return null;
    let before = boxes[0];
    for (const b of boxes) {
      if (b[0] <= frame) before = b;
      else {
        const t = (frame - before[0]) / (b[0] - before[0]);
        return [1, 2, 3, 4].map((i) => before[i] + (b[i] - before[i]) * t);
      }
    }
    return before.slice(1);
  }

  function scale() {
    const w = video.clientWidth || data.width;
    return w / data.width;
  }

  function place(el, box) {
    const s = scale();
    el.style.left = `${box[0] * s}px`;
    el.style.top = `${box[1] * s}px`;
    el.style.width = `${(box[2] - box[0]) * s}px`;
    el.style.height = `${(box[3] - box[1]) * s}px`;
  }

  function draw() {
    if (!data) return;
    const frame = frameNow();
    if (frameOut) frameOut.textContent = String(frame);
    overlay.querySelectorAll(".jk-review-box").forEach((el) => el.remove());
    for (const track of data.tracks) {
      const box = boxAt(track.boxes, frame);
      if (!box) continue;
      const el = document.createElement("button");
      el.type = "button";
      el.className = "jk-review-box";
      el.dataset.track = String(track.id);
      if (track.id === data.subject) el.classList.add("is-subject");
      if (data.dropped.includes(track.id)) el.classList.add("is-dropped");
      const label = document.createElement("span");
      label.textContent = `#${track.id}`;
      el.appendChild(label);
      el.title = `#${track.id}: 누르면 정보주체(가리지 않음)로 정합니다`;
      place(el, box);
      overlay.appendChild(el);
    }
    data.regions.forEach((region, index) => {
      if (frame < region.start_frame || frame > region.end_frame) return;
      const el = document.createElement("div");
      el.className = "jk-review-box is-region";
      const label = document.createElement("span");
      label.textContent = `영역 ${index + 1}`;
      el.appendChild(label);
      place(el, region.box);
      overlay.appendChild(el);
    });
  }

  // One click on a box: that track becomes the subject (its form in the table is submitted).
  overlay.addEventListener("click", (event) => {
    if (drawing) return;
    const box = event.target.closest("[data-track]");
    if (!box) return;
    const form = document.querySelector(`[data-subject-form="${box.dataset.track}"]`);
    if (form) form.requestSubmit();
  });

  function videoPoint(event) {
    const rect = overlay.getBoundingClientRect();
    const s = scale();
    const x = Math.round((event.clientX - rect.left) / s);
    const y = Math.round((event.clientY - rect.top) / s);
    return [Math.max(0, Math.min(data.width, x)), Math.max(0, Math.min(data.height, y))];
  }

  function setField(name, value) {
    const field = regionForm && regionForm.querySelector(`[name="${name}"]`);
    if (field) field.value = String(value);
  }

  if (drawButton) {
    drawButton.addEventListener("click", () => {
      drawing = !drawing;
      overlay.classList.toggle("is-drawing", drawing);
      drawButton.setAttribute("aria-pressed", String(drawing));
      if (drawing) video.pause();
    });
  }
  overlay.addEventListener("pointerdown", (event) => {
    if (!drawing || !data) return;
    sketchStart = videoPoint(event);
    sketch = document.createElement("div");
    sketch.className = "jk-review-sketch";
    overlay.appendChild(sketch);
    overlay.setPointerCapture(event.pointerId);
  });
  overlay.addEventListener("pointermove", (event) => {
    if (!sketch) return;
    const [x, y] = videoPoint(event);
    place(sketch, [Math.min(x, sketchStart[0]), Math.min(y, sketchStart[1]), Math.max(x, sketchStart[0]), Math.max(y, sketchStart[1])]);
  });
  overlay.addEventListener("pointerup", (event) => {
    if (!sketch) return;
    const [x, y] = videoPoint(event);
    const frame = frameNow();
    setField("x1", Math.min(x, sketchStart[0]));
    setField("y1", Math.min(y, sketchStart[1]));
    setField("x2", Math.max(x, sketchStart[0]));
    setField("y2", Math.max(y, sketchStart[1]));
    setField("start_frame", frame);
    const end = regionForm && regionForm.querySelector('[name="end_frame"]');
    if (end && (!end.value || Number(end.value) < frame)) end.value = String(frame);
    sketch = null;
    sketchStart = null;
    drawing = false;
    overlay.classList.remove("is-drawing");
    if (drawButton) drawButton.setAttribute("aria-pressed", "false");
  });
  const endHere = document.querySelector("[data-end-here]");
  if (endHere) endHere.addEventListener("click", () => setField("end_frame", frameNow()));

  // "구간 보기": seek to a track's first frame.
  document.querySelectorAll("[data-seek-frame]").forEach((button) => {
    button.addEventListener("click", () => {
      if (!data || !data.fps) return;
      video.currentTime = (Number(button.dataset.seekFrame) + 0.5) / data.fps;
      video.pause();
    });
  });

  function loop() {
    draw();
    if ("requestVideoFrameCallback" in video) video.requestVideoFrameCallback(loop);
  }

  fetch(root.dataset.tracks, { credentials: "same-origin" })
    .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
    .then((json) => {
      data = json;
      ["loadeddata", "seeked", "timeupdate", "pause"].forEach((name) => video.addEventListener(name, draw));
      window.addEventListener("resize", draw);
      loop();
    })
    .catch(() => {
      const note = document.createElement("p");
      note.setAttribute("role", "alert");
      note.textContent = "추적 정보를 불러오지 못했습니다. 화면을 새로 고치세요";
      root.appendChild(note);
    });
})();
