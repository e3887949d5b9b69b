/* Vangnet staff chat: the live queue and the side panels of a conversation. */
(function () {
  "use strict";

  function minutesSince(iso) {
    return Math.max(0, Math.floor((Date.now() - new Date(iso).getTime()) / 60000));
  }

  function tickWaitingTimes(container) {
    container.querySelectorAll("time.waited").forEach(function (el) {
      var minutes = minutesSince(el.getAttribute("datetime"));
      el.textContent = minutes < 1 ? "< 1 min" : minutes + " min";
    });
  }

  function startQueue(container) {
    var path = container.getAttribute("data-queue-socket");
    var url = container.getAttribute("data-queue-url");
    var delay = 500;
    function refresh() {
      window.htmx.ajax("GET", url, { target: container, swap: "innerHTML" }).then(function () {
        tickWaitingTimes(container);
      });
    }
    function connect() {
      var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      var socket = new WebSocket(scheme + window.location.host + path);
      socket.addEventListener("open", function () { delay = 500; refresh(); });
      socket.addEventListener("message", function (event) {
        var frame;
        try { frame = JSON.parse(event.data); } catch (e) { return; }
        if (frame.type === "queue.changed") { refresh(); }
      });
      socket.addEventListener("close", function (event) {
        if (event.code === 4401 || event.code === 4403) { window.location.reload(); return; }
        setTimeout(connect, delay);
        delay = Math.min(delay * 2, 8000);
      });
    }
    tickWaitingTimes(container);
    setInterval(function () { tickWaitingTimes(container); }, 15000);
    connect();
  }

  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function startConversation(root) {
    var texts = document.getElementById("chat-texts").dataset;
    var stateLine = document.getElementById("chat-state");
    var presence = document.getElementById("chat-presence");
    var labels = { waiting: texts.statusWaiting, active: texts.statusActive, visitor_left: texts.statusVisitorLeft,
      closed: texts.statusClosed, abandoned: texts.statusAbandoned };
    root.addEventListener("chat:state", function (event) {
      var state = event.detail;
      if (stateLine) { stateLine.textContent = labels[state.status] || state.status; }
      if (presence) { presence.textContent = state.visitor_connected ? texts.connected : texts.disconnected; }
      var composer = document.getElementById("chat-composer");
      if (composer && state.status !== "active") {
        composer.hidden = true;
        document.getElementById("chat-status").textContent = state.status === "closed" ? texts.closed : texts.left;
      }
    });
    root.addEventListener("chat:presence", function (event) {
      if (presence) { presence.textContent = event.detail.visitor_connected ? texts.connected : texts.disconnected; }
    });
    document.querySelectorAll("form.resource-form").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        form.querySelector(".resource-key").value = newKey();
        var token = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
        fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin",
          headers: { "X-CSRFToken": token, "HX-Request": "true" } }).then(function (response) {
          if (!response.ok) {
            response.text().then(function (text) {
              var error = document.getElementById("chat-error");
              error.textContent = text;
              error.hidden = false;
            });
          }
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var queue = document.querySelector("[data-queue-socket]");
    if (queue) { startQueue(queue); }
    var chat = document.querySelector(".chat--staff[data-chat-socket]");
    if (chat) { startConversation(chat); }
  });
})();
