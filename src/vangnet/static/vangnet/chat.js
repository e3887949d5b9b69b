/* Vangnet chat: one live conversation over a WebSocket, for the visitor and for the employee.
 *
 * The database is the truth; this page only shows it. Every message has a sequence number:
 * the page shows each one once, in order, and after a lost connection asks for everything
 * after the last one it has. A message typed while the connection is down waits in memory
 * (never in storage: nothing of the chat stays on the device) and is sent again with the
 * same key, which the server stores once.
 *
 * A message stays on the screen until the server has stored it. "Not now" (an error with
 * `retry_after`: the flood limit after a reconnect, a database that is briefly away) keeps
 * it pending and sends it again after that wait, backing off; "refused for good" (too long,
 * the chat ended) leaves it on the screen marked as not sent, with the reason.
 *
 * A `busy` frame (the server is overloaded, ADR 0036) shows a calm notice that messages do
 * arrive, only later; `busy: false` (or a new connection) clears it.
 */
(function () {
  "use strict";

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; });
  }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function start(root) {
    var role = root.getAttribute("data-chat-role") || "visitor";
    var path = root.getAttribute("data-chat-socket");
    var texts = document.getElementById("chat-texts").dataset;
    var list = document.getElementById("chat-messages");
    var statusLine = document.getElementById("chat-status");
    var typingLine = document.getElementById("chat-typing");
    var busyLine = document.getElementById("chat-busy");
    var errorLine = document.getElementById("chat-error");
    var composer = document.getElementById("chat-composer");
    var input = document.getElementById("chat-input");
    var lastSeq = 0;
    var outbox = [];            // {key, body} not yet confirmed by the server
    var socket = null;
    var retryDelay = 500;
    var holdUntil = 0;          // the server asked to wait before sending again
    var resendTimer = null;
    var resendBackoff = 0;
    var superseded = false;     // this window gave way to a newer one; typing here takes it back
    var typingTimer = null;
    var lastTypingSent = 0;
    var ended = false;

    function setStatus(text) { statusLine.textContent = text; }
    function showError(text) {
      errorLine.textContent = text;
      errorLine.hidden = !text;
    }

    function senderLabel(message) {
      if (message.sender === "visitor") { return role === "visitor" ? texts.you : (texts.visitor || texts.you); }
      if (message.sender === "volunteer") {
        return role === "volunteer" ? texts.self : (message.author ? message.author + " (" + texts.volunteer + ")" : texts.volunteer);
      }
      if (message.sender === "employee") {
        return role === "visitor" ? (message.author || texts.employee) + " (" + texts.employee + ")" : message.author;
      }
      return "";
    }

    function render(message) {
      var item = document.createElement("li");
      item.className = "chat__message chat__message--" + message.sender + " chat__message--" + message.kind;
      item.setAttribute("data-seq", message.seq);
      if (message.sender !== "system") {
        var who = document.createElement("span");
        who.className = "chat__sender";
        who.textContent = senderLabel(message);
        item.appendChild(who);
      }
      var body = document.createElement("p");
      body.className = "chat__body";
      if (message.kind === "resource" && /^https:\/\//.test(message.url)) {
        var link = document.createElement("a");
        link.href = message.url;
        link.rel = "noreferrer noopener";
        link.target = "_blank";
        link.textContent = message.body;
        body.appendChild(link);
      } else {
        body.textContent = message.body;
      }
      item.appendChild(body);
      var time = document.createElement("time");
      time.dateTime = message.at;
      var at = new Date(message.at);
      time.textContent = ("0" + at.getHours()).slice(-2) + ":" + ("0" + at.getMinutes()).slice(-2);
      item.appendChild(time);
      return item;
    }

    function show(message, fromHistory) {
      if (message.seq <= lastSeq) { return; }            // already shown
      // A gap in live messages: fetch what is missing. A history is complete and in order
      // (numbers of staff notes, not shown to visitors, may be skipped).
      if (!fromHistory && message.seq > lastSeq + 1) { hello(); return; }
      lastSeq = message.seq;
      var pending = message.key ? list.querySelector('[data-pending-key="' + message.key + '"]') : null;
      var item = render(message);
      if (pending && pending.parentNode) { pending.parentNode.removeChild(pending); }
      list.appendChild(item);
      outbox = outbox.filter(function (m) { return m.key !== message.key || message.sender !== role; });
      if (message.sender !== role && message.sender !== "system") { typingLine.hidden = true; }
      item.scrollIntoView({ block: "end" });
    }

    function showPending(entry) {
      var item = document.createElement("li");
      item.className = "chat__message chat__message--" + role + " chat__message--pending";
      item.setAttribute("data-pending-key", entry.key);
      var body = document.createElement("p");
      body.className = "chat__body";
      body.textContent = entry.body;
      item.appendChild(body);
      var note = document.createElement("span");
      note.className = "chat__pending-note";
      note.textContent = texts.notSent;
      item.appendChild(note);
      list.appendChild(item);
      item.scrollIntoView({ block: "end" });
    }

    function send(frame) {
      if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(frame)); return true; }
      return false;
    }

    function hello() { send({ type: "hello", after: lastSeq }); }

    function flushOutbox() {
      var wait = holdUntil - Date.now();
      if (wait > 0) { resendLater(wait); return; }
      outbox.forEach(function (entry) { send({ type: "send", key: entry.key, body: entry.body }); });
    }

    function resendLater(wait) {
      if (resendTimer) { return; }
      resendTimer = setTimeout(function () { resendTimer = null; flushOutbox(); }, wait);
    }

    function notSentForGood(key, reason) {
      outbox = outbox.filter(function (m) { return m.key !== key; });
      var pending = list.querySelector('[data-pending-key="' + key + '"]');
      if (!pending) { return; }
      pending.classList.add("chat__message--failed");
      var note = pending.querySelector(".chat__pending-note");
      if (note) { note.textContent = reason; }
    }

    function endChat(text) {
      ended = true;
      setStatus(text);
      typingLine.hidden = true;
      if (composer) { composer.hidden = true; }
      var leave = document.querySelector(".chat__leave button");
      if (leave && texts.newChat) { leave.textContent = texts.newChat; }
      root.dispatchEvent(new CustomEvent("chat:ended"));
    }

    function onState(state) {
      root.setAttribute("data-status", state.status);
      if (role !== "visitor") { root.dispatchEvent(new CustomEvent("chat:state", { detail: state })); return; }
      if (state.status === "waiting") {
        var line = format(texts.waiting, { position: state.position }) + " ";
        if (state.estimate === null || state.estimate === undefined) { line += texts.estimateUnknown; }
        else if (state.estimate <= 1) { line += texts.estimateSoon; }
        else { line += format(texts.estimate, { minutes: state.estimate }); }
        setStatus(line);
      } else if (state.status === "active") {
        setStatus(format(texts.active, { name: state.employee || texts.employee }) +
          (state.volunteer && texts.withVolunteer ? " " + texts.withVolunteer : ""));
      } else if (state.status === "closed" || state.status === "visitor_left") {
        endChat(state.status === "closed" ? texts.closed : texts.left);
      } else {
        endChat(texts.left);
      }
    }

    function onFrame(event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame.type === "history") {
        frame.messages.forEach(function (message) { show(message, true); });
        if (frame.upto > lastSeq) { lastSeq = frame.upto; }
      }
      else if (frame.type === "skip") { if (frame.seq === lastSeq + 1) { lastSeq = frame.seq; } }
      else if (frame.type === "message") { show(frame.message); }
      else if (frame.type === "state") { onState(frame); }
      else if (frame.type === "unavailable") { setStatus(texts.unavailable || texts.reconnecting); }
      else if (frame.type === "busy") { if (busyLine) { busyLine.hidden = !frame.busy; } }
      else if (frame.type === "typing") {
        typingLine.hidden = false;
        clearTimeout(typingTimer);
        typingTimer = setTimeout(function () { typingLine.hidden = true; }, 4000);
      } else if (frame.type === "presence") {
        root.dispatchEvent(new CustomEvent("chat:presence", { detail: frame }));
      } else if (frame.type === "ack") {
        outbox = outbox.filter(function (m) { return m.key !== frame.key; });
        resendBackoff = 0;
        showError("");
      } else if (frame.type === "error" && frame.about === "hello" && typeof frame.retry_after === "number") {
        setTimeout(hello, frame.retry_after * 1000);   // asked too often: ask once more, later
      } else if (frame.type === "error") {
        showError(frame.message);
        if (frame.key && typeof frame.retry_after === "number") {
          // Not now: it stays pending and goes again, after the server's wait (or longer).
          // One wait per round: the rest of a held-back burst says the same.
          if (!resendTimer) {
            resendBackoff = Math.min(Math.max(resendBackoff * 2, 1000), 30000);
            holdUntil = Date.now() + Math.max(frame.retry_after * 1000, resendBackoff);
            resendLater(holdUntil - Date.now());
          }
        } else if (frame.key) {
          notSentForGood(frame.key, frame.message);
        }
      }
    }

    function connect() {
      if (socket) { return; }
      var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      socket = new WebSocket(scheme + window.location.host + path);
      socket.addEventListener("open", function () {
        retryDelay = 500;
        showError("");
        if (busyLine) { busyLine.hidden = true; }   // a busy server says so again at once
        hello();
        flushOutbox();
      });
      socket.addEventListener("message", onFrame);
      socket.addEventListener("close", function (event) {
        socket = null;
        if (event.code === 4404 || event.code === 4401 || event.code === 4403) {
          window.location.reload();   // the conversation or the login is gone: the page says why
          return;
        }
        if (event.code === 4409) {    // opened in a newer window: that one goes on
          superseded = true;
          setStatus(texts.elsewhere || texts.reconnecting);
          return;
        }
        // 1013: the server is briefly without its channel layer; say so (with the phone
        // number) and keep trying, backing off, until it is back.
        if (!ended) { setStatus(event.code === 1013 && texts.unavailable ? texts.unavailable : texts.reconnecting); }
        setTimeout(connect, retryDelay);
        retryDelay = Math.min(retryDelay * 2, 8000);
      });
    }

    if (composer) {
      composer.addEventListener("submit", function (event) {
        event.preventDefault();
        var body = input.value.trim();
        if (!body) { return; }
        var entry = { key: newKey(), body: body };
        if (superseded) { superseded = false; connect(); }
        outbox.push(entry);
        showPending(entry);
        input.value = "";
        if (Date.now() >= holdUntil) { send({ type: "send", key: entry.key, body: entry.body }); }
        else { resendLater(holdUntil - Date.now()); }
        input.focus();
      });
      input.addEventListener("keydown", function (event) {
        // Enter sends, Shift+Enter makes a new line: as in every chat.
        if (event.key === "Enter" && !event.shiftKey) {
          event.preventDefault();
          composer.requestSubmit();
        }
      });
      input.addEventListener("input", function () {
        var now = Date.now();
        if (now - lastTypingSent > 2000) { lastTypingSent = now; send({ type: "typing" }); }
      });
    }
    window.addEventListener("online", function () { if (!socket && !superseded) { connect(); } });
    connect();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector("[data-chat-socket]");
    if (root) { start(root); }
  });
})();
