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

  // Delegated: the button still works after a public page swapped its body (see below).
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("#quick-exit")) { quickExit(event); }
  });

  document.addEventListener("keydown", function (event) {
    // Only a real keyboard has Tab or Escape: from then on the page shows the Esc hint.
    if (event.key === "Tab" || event.key === "Escape") { document.documentElement.classList.add("has-keyboard"); }
    if (event.key !== "Escape" || !document.getElementById("quick-exit")) { return; }
    var now = Date.now();
    if (now - lastEscape < ESC_WINDOW_MS) { quickExit(event); }
    lastEscape = now;
  });
})();

/* Public pages keep to one entry in the browser's history.
 *
 * No page can erase the history before it, but the site can avoid adding to it: every link
 * and form within the public pages replaces the current entry instead of adding one, so the
 * quick exit's location.replace() leaves nothing of Vangnet behind the Back button (ADR 0023).
 * A form is sent with fetch: a redirect answer (the server turns it into a 204 with
 * Vangnet-Location, so that a one-time message is shown by the page itself) becomes
 * location.replace(); any other answer (a form with errors) replaces the page's body.
 */
(function () {
  "use strict";

  function isPublic() { return document.body && document.body.classList.contains("public"); }

  function showAnswer(html, url) {
    var answer = new DOMParser().parseFromString(html, "text/html");
    // A page that needs its own script is loaded as a page (its script starts on load).
    if (answer.body.querySelector("script[src]")) { window.location.replace(url); return; }
    document.title = answer.title;
    document.body.replaceWith(document.adoptNode(answer.body));
    if (window.htmx) { window.htmx.process(document.body); }
    var first = document.querySelector("[role=alert]") || document.getElementById("main");
    if (first) {
      if (!first.hasAttribute("tabindex")) { first.setAttribute("tabindex", "-1"); }
      first.focus();
    }
  }

  document.addEventListener("click", function (event) {
    if (!isPublic() || event.defaultPrevented || event.button !== 0 ||
        event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) { return; }
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || link.target || link.hasAttribute("download")) { return; }
    var url = new URL(link.href, window.location.href);
    if (url.origin !== window.location.origin) { return; }   // tel:, other sites: as usual
    event.preventDefault();
    if (url.hash && url.pathname === window.location.pathname && url.search === window.location.search) {
      // An anchor on this page (the skip link): move there without a history entry.
      var target = document.getElementById(decodeURIComponent(url.hash.slice(1)));
      if (target) { target.focus(); }
      return;
    }
    window.location.replace(url.href);
  });

  document.addEventListener("submit", function (event) {
    if (!isPublic() || event.defaultPrevented) { return; }
    var form = event.target;
    var action = new URL(form.getAttribute("action") || window.location.href, window.location.href);
    if (action.origin !== window.location.origin) { return; }
    event.preventDefault();
    var data = new FormData(form);
    if (event.submitter && event.submitter.name) { data.append(event.submitter.name, event.submitter.value); }
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") {
      action.search = new URLSearchParams(data).toString();
      window.location.replace(action.href);
      return;
    }
    fetch(action.href, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "Vangnet-Navigation": "replace" }
    }).then(function (response) {
      var location = response.headers.get("Vangnet-Location");
      if (location) { window.location.replace(location); return; }
      return response.text().then(function (html) { showAnswer(html, response.url); });
    }).catch(function () { form.submit(); });   // no answer: send it the ordinary way
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

/* An idle visitor is warned before the session runs out (WCAG 2.2.1), and can extend it.
 *
 * A page with #session-warning knows how long its session lasts. Shortly before the end: if
 * the visitor did something meanwhile (typed, tapped), the session is extended quietly;
 * otherwise the warning shows, and "Ik ben er nog" extends it.
 */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("session-warning");
    if (!box) { return; }
    var seconds = parseInt(box.getAttribute("data-session-seconds"), 10);
    var warnBefore = parseInt(box.getAttribute("data-warn-seconds"), 10);
    var button = box.querySelector("button");
    var active = false;
    var timer = null;

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(due, Math.max(seconds - warnBefore, 1) * 1000);
    }
    function extend() {
      var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
      fetch(box.getAttribute("data-still-here-url"), {
        method: "POST", credentials: "same-origin",
        headers: { "X-CSRFToken": headers["X-CSRFToken"] || "" }
      }).then(function (response) {
        if (!response.ok) { return; }
        active = false;
        box.hidden = true;
        schedule();
      }).catch(function () { /* the warning stays: try again with the button */ });
    }
    function due() {
      if (active) { extend(); return; }
      box.hidden = false;
      button.focus();
    }
    ["keydown", "pointerdown", "input"].forEach(function (type) {
      document.addEventListener(type, function () { active = true; }, true);
    });
    button.addEventListener("click", extend);
    schedule();
  });
})();
