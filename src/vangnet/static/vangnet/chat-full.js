/* The chat is full (ADR 0036): the visitor who waits does not have to press again. The
 * intake form stays filled in; after `data-retry-after` seconds it is sent once more. */
(function () {
  "use strict";
  var notice = document.getElementById("chat-full");
  var form = document.querySelector(".chat-intake form");
  if (!notice || !form) { return; }
  var left = parseInt(notice.getAttribute("data-retry-after"), 10);
  if (!(left > 0)) { return; }
  var line = document.getElementById("chat-full-countdown");
  var text = line ? line.getAttribute("data-text") || "" : "";
  function tick() {
    if (line) { line.textContent = text.replace("%(seconds)s", String(left)); }
    if (left <= 0) { form.submit(); return; }
    left -= 1;
    setTimeout(tick, 1000);
  }
  tick();
}());
