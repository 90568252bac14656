// "위치 추가": a new empty row of the location formset, from the <template> the page carries.
// A static file, not an inline script: the Content-Security-Policy allows only these (R38).
(function () {
  "use strict";
  function addRow() {
    var prefix = "locations";
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    var template = document.getElementById("location-row-template");
    var rows = document.getElementById("location-rows");
    var status = document.getElementById("location-rows-status");
    var index = parseInt(total.value, 10);
    if (max && index >= parseInt(max.value, 10)) {
      status.textContent = "위치는 한 번에 " + max.value + "곳까지 적을 수 있습니다. 더 많으면 대장 파일로 올리세요.";
      return;
    }
    var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
    var body = document.createElement("tbody");
    body.innerHTML = html;
    var row = body.firstElementChild;
    rows.appendChild(row);
    total.value = String(index + 1);
    status.textContent = "위치 " + (index + 1) + "번째 줄을 추가했습니다.";
    var first = row.querySelector("input");
    if (first) { first.focus(); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("add-location");
    if (button) { button.addEventListener("click", addRow); }
  });
})();
