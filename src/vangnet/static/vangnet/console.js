/* Vangnet chat console: several chats on one screen (ADR 0033).
 *
 * Each chat keeps its own socket (the same protocol as chat.js: numbered messages, "hello"
 * after the last one shown, keyed sends stored once), its own pane and its own draft: a
 * chat that is not shown keeps running, counts what is new, and says so in the tab title
 * (and with a sound, when the employee switched it on; the sound is ours). Nothing of a
 * chat is kept on the device: drafts live in the page only.
 */
(function () {
  "use strict";

  var root = document.getElementById("console");
  if (!root) { return; }
  var texts = document.getElementById("console-texts").dataset;
  var baseTitle = document.title;
  var chats = {};          // id -> chat state
  var order = [];          // ids in list order
  var selected = null;
  var waitingCount = null;
  var newWaiting = false;
  var soundBox = document.getElementById("console-sound");
  var audio = null;

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; });
  }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function csrfToken() {
    var field = root.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function signal() {
    if (soundBox && soundBox.checked) {
      if (!audio) { audio = new Audio(root.getAttribute("data-sound") || "/static/vangnet/console-bell.wav"); }
      var played = audio.play();
      if (played && played.catch) { played.catch(function () { /* the browser may refuse */ }); }
    }
  }

  function updateTitle() {
    var unread = 0;
    order.forEach(function (id) { unread += chats[id].unread; });
    var prefix = unread > 0 ? "(" + unread + ") " : "";
    if (newWaiting) { prefix = "• " + prefix; }
    document.title = prefix + baseTitle;
  }

  function tabFor(id) { return root.querySelector('[data-chat-tab="' + id + '"]'); }

  function showUnread(chat) {
    var badge = tabFor(chat.id).querySelector("[data-unread]");
    badge.hidden = chat.unread === 0;
    badge.textContent = chat.unread ? format(texts.unread, { count: chat.unread }) : "";
    updateTitle();
  }

  function showWaiting(chat) {
    var line = tabFor(chat.id).querySelector("[data-waiting]");
    if (!chat.waitingSince) { line.textContent = ""; return; }
    var minutes = Math.max(0, Math.floor((Date.now() - chat.waitingSince) / 60000));
    line.textContent = format(texts.waits, { minutes: minutes < 1 ? "< 1" : minutes });
  }

  function select(id, focusInput) {
    if (!chats[id]) { return; }
    selected = id;
    order.forEach(function (other) {
      var on = other === id;
      chats[other].pane.hidden = !on;
      chats[other].side.hidden = !on;
      tabFor(other).setAttribute("aria-pressed", on ? "true" : "false");
    });
    var chat = chats[id];
    chat.unread = 0;
    showUnread(chat);
    var log = chat.pane.querySelector(".console__log");
    log.scrollTop = log.scrollHeight;
    if (focusInput && chat.input && !chat.composer.hidden) { chat.input.focus(); }
  }

  function step(delta) {
    if (!order.length) { return; }
    var index = order.indexOf(selected);
    var next = order[(index + delta + order.length) % order.length];
    select(next, true);
  }

  function senderLabel(chat, message) {
    if (message.sender === "visitor") { return chat.visitor; }
    if (message.sender === "volunteer") { return (message.author ? message.author + " (" : "") + texts.volunteer + (message.author ? ")" : ""); }
    if (message.sender === "employee") { return message.author || texts.employee; }
    return "";
  }

  function render(chat, message) {
    var item = document.createElement("li");
    item.className = "chat__message chat__message--" + message.sender + " chat__message--" + message.kind;
    item.setAttribute("data-seq", message.seq);
    if (message.sender !== "system") {
      var who = document.createElement("span");
      who.className = "chat__sender";
      who.textContent = senderLabel(chat, message);
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

  function show(chat, message, fromHistory) {
    if (message.seq <= chat.lastSeq) { return; }
    if (!fromHistory && message.seq > chat.lastSeq + 1) { hello(chat); return; }
    chat.lastSeq = message.seq;
    var pending = message.key ? chat.list.querySelector('[data-pending-key="' + message.key + '"]') : null;
    if (pending && pending.parentNode) { pending.parentNode.removeChild(pending); }
    chat.list.appendChild(render(chat, message));
    chat.outbox = chat.outbox.filter(function (m) { return m.key !== message.key; });
    if (message.sender === "visitor") {
      chat.typing.hidden = true;
      if (!chat.waitingSince) { chat.waitingSince = new Date(message.at).getTime() || Date.now(); }
    } else if (message.sender === "employee") {
      chat.waitingSince = null;
    }
    showWaiting(chat);
    if (!fromHistory && message.sender === "visitor" && (chat.id !== selected || document.hidden)) {
      chat.unread += 1;
      showUnread(chat);
      signal();
    }
    if (chat.id === selected) {
      var log = chat.pane.querySelector(".console__log");
      log.scrollTop = log.scrollHeight;
    }
  }

  function send(chat, frame) {
    if (chat.socket && chat.socket.readyState === WebSocket.OPEN) { chat.socket.send(JSON.stringify(frame)); return true; }
    return false;
  }

  function hello(chat) { send(chat, { type: "hello", after: chat.lastSeq }); }

  function flush(chat) {
    chat.outbox.forEach(function (entry) { send(chat, { type: "send", key: entry.key, body: entry.body }); });
  }

  function setStatus(chat, text) { chat.status.textContent = text; }

  function showError(chat, text) {
    chat.error.textContent = text;
    chat.error.hidden = !text;
  }

  function onState(chat, state) {
    var meta = tabFor(chat.id).querySelector("[data-tab-state]");
    var me = root.getAttribute("data-me");
    if (state.status === "active" && me && state.assigned_to !== undefined && String(state.assigned_to) !== me) {
      state = { status: "gone" };   // a colleague or the team lead continues it
    }
    if (state.status === "active") {
      setStatus(chat, texts.active);
      meta.textContent = texts.inChat;
      return;
    }
    if (chat.composer) { chat.composer.hidden = true; }
    meta.textContent = state.status === "visitor_left" ? texts.register : texts.elsewhere;
    setStatus(chat, state.status === "closed" ? texts.closed : (state.status === "visitor_left" ? texts.left : texts.gone));
    var close = chat.side.querySelector("[data-close-section]");
    if (close && state.status === "visitor_left") { close.open = true; }
  }

  function onFrame(chat, event) {
    var frame;
    try { frame = JSON.parse(event.data); } catch (e) { return; }
    if (frame.type === "history") {
      frame.messages.forEach(function (message) { show(chat, message, true); });
      if (frame.upto > chat.lastSeq) { chat.lastSeq = frame.upto; }
    } else if (frame.type === "skip") { if (frame.seq === chat.lastSeq + 1) { chat.lastSeq = frame.seq; } }
    else if (frame.type === "message") { show(chat, frame.message, false); }
    else if (frame.type === "state") { onState(chat, frame); }
    else if (frame.type === "typing") {
      chat.typing.hidden = false;
      clearTimeout(chat.typingTimer);
      chat.typingTimer = setTimeout(function () { chat.typing.hidden = true; }, 4000);
    } else if (frame.type === "ack") {
      chat.outbox = chat.outbox.filter(function (m) { return m.key !== frame.key; });
      showError(chat, "");
    } else if (frame.type === "error") {
      showError(chat, frame.message);
      if (frame.key && typeof frame.retry_after === "number") {
        setTimeout(function () { flush(chat); }, Math.max(frame.retry_after * 1000, 1000));
      } else if (frame.key) {
        chat.outbox = chat.outbox.filter(function (m) { return m.key !== frame.key; });
        var pending = chat.list.querySelector('[data-pending-key="' + frame.key + '"]');
        if (pending) { pending.classList.add("chat__message--failed"); }
      }
    }
  }

  function connect(chat) {
    if (chat.socket || chat.gone) { return; }
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + chat.path);
    chat.socket = socket;
    socket.addEventListener("open", function () { chat.delay = 500; showError(chat, ""); hello(chat); flush(chat); });
    socket.addEventListener("message", function (event) { onFrame(chat, event); });
    socket.addEventListener("close", function (event) {
      chat.socket = null;
      if (event.code === 4404 || event.code === 4401 || event.code === 4403) {
        chat.gone = true;
        setStatus(chat, texts.gone);
        if (chat.composer) { chat.composer.hidden = true; }
        return;
      }
      setStatus(chat, texts.reconnecting);
      setTimeout(function () { connect(chat); }, chat.delay);
      chat.delay = Math.min(chat.delay * 2, 8000);
    });
  }

  function insertAtCaret(input, text) {
    var start = input.selectionStart || 0;
    var end = input.selectionEnd || 0;
    input.value = input.value.slice(0, start) + text + input.value.slice(end);
    input.focus();
    var caret = start + text.length;
    input.setSelectionRange(caret, caret);
  }

  function startChat(pane) {
    var id = pane.getAttribute("data-chat-pane");
    if (chats[id]) { return; }
    var side = root.querySelector('[data-chat-side="' + id + '"]');
    var chat = {
      id: id, pane: pane, side: side, path: pane.getAttribute("data-chat-socket"),
      visitor: pane.getAttribute("data-visitor"),
      list: pane.querySelector("[data-messages]"), status: pane.querySelector("[data-status]"),
      typing: pane.querySelector("[data-typing]"), error: pane.querySelector("[data-error]"),
      composer: pane.querySelector("[data-composer]"), input: pane.querySelector("[data-input]"),
      lastSeq: 0, outbox: [], socket: null, delay: 500, unread: 0, waitingSince: null, gone: false
    };
    chats[id] = chat;
    order.push(id);
    tabFor(id).addEventListener("click", function () { select(id, true); });
    if (chat.composer) {
      chat.composer.addEventListener("submit", function (event) {
        event.preventDefault();
        var body = chat.input.value.trim();
        if (!body) { return; }
        var entry = { key: newKey(), body: body };
        chat.outbox.push(entry);
        var item = document.createElement("li");
        item.className = "chat__message chat__message--employee chat__message--pending";
        item.setAttribute("data-pending-key", entry.key);
        var text = document.createElement("p");
        text.className = "chat__body";
        text.textContent = body;
        item.appendChild(text);
        var note = document.createElement("span");
        note.className = "chat__pending-note";
        note.textContent = texts.notSent;
        item.appendChild(note);
        chat.list.appendChild(item);
        chat.input.value = "";
        send(chat, { type: "send", key: entry.key, body: entry.body });
        chat.input.focus();
      });
      chat.input.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && !event.shiftKey && !event.altKey) {
          event.preventDefault();
          chat.composer.requestSubmit();
        }
      });
      var lastTyping = 0;
      chat.input.addEventListener("input", function () {
        var now = Date.now();
        if (now - lastTyping > 2000) { lastTyping = now; send(chat, { type: "typing" }); }
      });
    }
    side.querySelectorAll("[data-insert-text]").forEach(function (button) {
      button.addEventListener("click", function () {
        var input = document.getElementById(button.getAttribute("data-for"));
        if (input) { insertAtCaret(input, button.getAttribute("data-insert-text")); }
      });
    });
    side.querySelectorAll("[data-filter]").forEach(function (field) {
      var listId = field.getAttribute("data-filter");
      field.addEventListener("input", function () {
        var words = field.value.trim().toLowerCase();
        document.getElementById(listId).querySelectorAll("[data-filter-text]").forEach(function (item) {
          item.hidden = words !== "" && item.getAttribute("data-filter-text").indexOf(words) === -1;
        });
      });
      field.addEventListener("keydown", function (event) {
        if (event.key !== "Enter") { return; }
        event.preventDefault();
        var first = document.getElementById(listId).querySelector("[data-filter-text]:not([hidden]) button");
        if (first) { first.click(); }
      });
    });
    side.querySelectorAll("form.console-resource").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        form.querySelector("[data-key]").value = newKey();
        fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin",
          headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" } }).then(function (response) {
          if (!response.ok) { response.text().then(function (text) { showError(chat, text); }); }
        });
      });
    });
    connect(chat);
  }

  function adopt(doc) {
    // Chats that came in (accepted, offered, taken over) join the screen; chats already
    // here keep their pane, their socket and their draft.
    var tabs = document.getElementById("console-tabs");
    var added = [];
    doc.querySelectorAll("[data-chat-pane]").forEach(function (pane) {
      var id = pane.getAttribute("data-chat-pane");
      if (chats[id]) { return; }
      tabs.appendChild(document.importNode(doc.querySelector('[data-tab-item="' + id + '"]'), true));
      document.getElementById("console-main").appendChild(document.importNode(pane, true));
      document.getElementById("console-side").appendChild(document.importNode(doc.querySelector('[data-chat-side="' + id + '"]'), true));
      startChat(document.getElementById("chat-pane-" + id));
      added.push(id);
    });
    ["console-waiting-count", "console-capacity"].forEach(function (id) {
      var fresh = doc.getElementById(id);
      if (fresh) { document.getElementById(id).textContent = fresh.textContent; }
    });
    var freshCount = doc.getElementById("console-waiting-count");
    if (freshCount) {
      ["data-numbers", "data-counts"].forEach(function (name) {
        document.getElementById("console-waiting-count").setAttribute(name, freshCount.getAttribute(name) || "{}");
      });
    }
    var count = doc.getElementById("console-waiting-count");
    var number = count ? parseInt(count.textContent, 10) : 0;
    if (waitingCount !== null && number > waitingCount) {
      newWaiting = true;
      signal();
    } else if (number === 0) {
      newWaiting = false;
    }
    waitingCount = number;
    document.getElementById("console-empty").hidden = order.length > 0;
    document.getElementById("console-placeholder").hidden = order.length > 0;
    updateTitle();
    return added;
  }

  function refresh() {
    return fetch(root.getAttribute("data-console-url"), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) { if (html) { adopt(new DOMParser().parseFromString(html, "text/html")); } });
  }

  function acceptNext(form) {
    newWaiting = false;
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        var chosen = new URL(response.url).searchParams.get("chat");
        return response.text().then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          adopt(doc);
          if (chosen && chats[chosen]) { select(chosen, true); return; }
          var message = doc.querySelector(".messages, [role=alert]");
          if (message) {
            var status = document.getElementById("console-waiting-count");
            status.textContent = message.textContent.trim();
          }
        });
      });
  }

  // The queue socket pushes each change's count per region (ADR 0035): the console fetches
  // itself only when a change concerns its own chats.
  function counted(frame) {
    if (frame.mine || chats[frame.conversation]) { refresh(); return; }
    var el = document.getElementById("console-waiting-count");
    var numbers = JSON.parse(el.getAttribute("data-numbers") || "{}");
    var counts = JSON.parse(el.getAttribute("data-counts") || "{}");
    var region = String(frame.region);
    if (numbers[region] !== undefined && frame.seq <= numbers[region]) { return; }
    numbers[region] = frame.seq;
    counts[region] = frame.count;
    el.setAttribute("data-numbers", JSON.stringify(numbers));
    el.setAttribute("data-counts", JSON.stringify(counts));
    var number = Object.keys(counts).reduce(function (sum, key) { return sum + counts[key]; }, 0);
    el.textContent = number === 1 ? el.getAttribute("data-one") : el.getAttribute("data-many").replace("2", String(number));
    if (waitingCount !== null && number > waitingCount) { newWaiting = true; signal(); }
    else if (number === 0) { newWaiting = false; }
    waitingCount = number;
    updateTitle();
  }

  function startQueueSocket() {
    var delay = 500;
    function connectQueue() {
      var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      var socket = new WebSocket(scheme + window.location.host + root.getAttribute("data-queue-socket"));
      socket.addEventListener("open", function () { delay = 500; refresh(); });
      socket.addEventListener("message", function (event) {
        var frame;
        try { frame = JSON.parse(event.data); } catch (e) { return; }
        if (frame.type === "queue.changed") { refresh(); }
        else if (frame.type === "queue.count") { counted(frame); }
      });
      socket.addEventListener("close", function (event) {
        if (event.code === 4401 || event.code === 4403) { return; }
        setTimeout(connectQueue, delay);
        delay = Math.min(delay * 2, 8000);
      });
    }
    connectQueue();
  }

  root.querySelectorAll("[data-chat-pane]").forEach(startChat);
  var next = document.getElementById("console-next");
  next.addEventListener("submit", function (event) { event.preventDefault(); acceptNext(next); });

  document.addEventListener("keydown", function (event) {
    if (!event.altKey || event.ctrlKey || event.metaKey) { return; }
    // event.code first: with Option on a Mac, event.key is a special character.
    var key = /^Key[A-Z]$/.test(event.code || "") ? event.code.slice(3).toLowerCase() : event.key.toLowerCase();
    if (event.key === "ArrowDown") { event.preventDefault(); step(1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); step(-1); }
    else if (key === "n") { event.preventDefault(); acceptNext(next); }
    else if (key === "t" && selected) {
      event.preventDefault();
      var texts_ = chats[selected].side.querySelector(".console__texts");
      if (texts_) { texts_.open = true; texts_.querySelector("input").focus(); }
    } else if (key === "k" && selected) {
      event.preventDefault();
      var close = chats[selected].side.querySelector("[data-close-section]");
      close.open = true;
      close.querySelector("select, input:not([type=hidden]), textarea").focus();
    }
  });
  window.addEventListener("focus", function () { newWaiting = false; updateTitle(); });
  setInterval(function () { order.forEach(function (id) { showWaiting(chats[id]); }); }, 15000);

  var first = root.getAttribute("data-selected") || order[0];
  if (first) { select(first, true); }
  waitingCount = parseInt(document.getElementById("console-waiting-count").textContent, 10) || 0;
  startQueueSocket();
})();
