// The receiver's signature drawn on screen (영상정보 인수증, 별지 제3호): a canvas the pointer draws on;
// on submit its PNG (a data URL) goes into the form's hidden field. An untouched canvas sends nothing.
(function () {
  "use strict";
  function setUp(canvas) {
    const form = canvas.closest("form");
    if (!form) return;
    const field = form.querySelector("[data-signature-value]");
    const context = canvas.getContext("2d");
    context.lineWidth = 2.5;
    context.lineCap = "round";
    context.strokeStyle = "#111";
    let drawing = false;
    let drawn = false;
    function point(event) {
      const box = canvas.getBoundingClientRect();
      return [
        ((event.clientX - box.left) * canvas.width) / box.width,
        ((event.clientY - box.top) * canvas.height) / box.height,
      ];
    }
    canvas.addEventListener("pointerdown", (event) => {
      drawing = true;
      canvas.setPointerCapture(event.pointerId);
      const [x, y] = point(event);
      context.beginPath();
      context.moveTo(x, y);
    });
    canvas.addEventListener("pointermove", (event) => {
      if (!drawing) return;
      const [x, y] = point(event);
      context.lineTo(x, y);
      context.stroke();
      drawn = true;
    });
    const stop = () => {
      drawing = false;
    };
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    const clear = form.querySelector("[data-signature-clear]");
    if (clear) {
      clear.addEventListener("click", () => {
        context.clearRect(0, 0, canvas.width, canvas.height);
        drawn = false;
      });
    }
    form.addEventListener("submit", () => {
      if (field) field.value = drawn ? canvas.toDataURL("image/png") : "";
    });
  }
  document.querySelectorAll("[data-signature-pad]").forEach(setUp);
})();
