/* Vangnet: the few behaviours that need script. No inline script anywhere (CSP). */
(function () {
  "use strict";
  var ESC_WINDOW_MS = 1500;
  var lastEscape = 0;

  function quickExit(event) {
    if (event) { event.preventDefault(); }
    var target = document.body.getAttribute("data-neutral-url") || "about:blank";
    try { window.sessionStorage.clear(); } catch (e) { /* storage may be disabled */ }
    try { window.localStorage.clear(); } catch (e) { /* storage may be disabled */ }
    document.title = "";
    document.body.textContent = "";
    // End the server session without waiting for the answer; keepalive survives the navigation.
    // The CSRF token is the one every page carries for htmx (the cookie is HttpOnly).
    try {
      var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
      fetch("/exit/", { method: "POST", keepalive: true, credentials: "same-origin",
        headers: { "X-CSRFToken": headers["X-CSRFToken"] || "" } });
    } catch (e) { /* best effort */ }
    // replace(): the page being left does not stay in the back-button history.
    window.location.replace(target);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("quick-exit");
    if (button) { button.addEventListener("click", quickExit); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !document.getElementById("quick-exit")) { return; }
    var now = Date.now();
    if (now - lastEscape < ESC_WINDOW_MS) { quickExit(event); }
    lastEscape = now;
  });
})();

/* Forms marked data-submit-shortcut submit with Ctrl+Enter (or Cmd+Enter), also from a textarea. */
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) { return; }
    var form = event.target && event.target.closest ? event.target.closest("form[data-submit-shortcut]") : null;
    if (!form) { return; }
    event.preventDefault();
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  });
})();
