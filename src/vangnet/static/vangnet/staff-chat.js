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
    var template = document.getElementById("queue-row-template");
    var texts = document.getElementById("queue-texts");
    // The queue page applies the changes its socket pushes (ADR 0035): each carries its
    // region's number; the page fetches the queue when it opens, after a reconnect, when it
    // misses a number, and for what has no row (its own chats, a phone handover). Every
    // tick the socket says the queues' numbers, so a missed last change of a quiet queue is
    // fetched too; a fetch that failed is tried again. The floor (no row template) fetches
    // on every change, as before.
    var rows = Boolean(template && texts);
    var state = null;
    var fetching = false;
    var again = false;
    var held = [];
    var delay = 500;
    var retry = 1000;  // ms before a failed fetch is tried again; doubles up to 30 s
    var fetched = false;  // whether the last fetch was answered with the queue

    document.body.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail.target === container) { fetched = Boolean(event.detail.successful); }
    });

    var retrying = null;
    function retryLater() {  // once, however many fetches failed meanwhile
      if (retrying !== null) { return; }
      retrying = setTimeout(function () { retrying = null; refresh(); }, retry);
      retry = Math.min(retry * 2, 30000);
    }

    function readState() {
      var el = container.querySelector("[data-queue-state]");
      state = el ? {
        numbers: JSON.parse(el.getAttribute("data-numbers")),
        counts: JSON.parse(el.getAttribute("data-counts")),
        mine: JSON.parse(el.getAttribute("data-mine")),
        page: parseInt(el.getAttribute("data-page"), 10),
        pageSize: parseInt(el.getAttribute("data-page-size"), 10)
      } : null;
    }

    function refresh() {
      if (fetching) { again = true; return; }
      fetching = true;
      fetched = false;
      window.htmx.ajax("GET", url, { target: container, swap: "innerHTML" }).then(function () {
        fetching = false;
        if (!fetched) { retryLater(); return; }  // busy, or away: the page still shows the old queue
        retry = 1000;
        readState();
        tickWaitingTimes(container);
        if (again) { again = false; held = []; refresh(); return; }
        var waiting = held;
        held = [];
        waiting.forEach(apply);
      }, function () { fetching = false; retryLater(); });
    }

    function behind(numbers) {  // the socket's numbers are ahead of what the page shows
      return state !== null && Object.keys(numbers).some(function (region) {
        var shown = state.numbers[region];
        return shown === undefined || numbers[region] > shown;
      });
    }

    function checkNumbers(numbers) {
      if (fetching || !behind(numbers)) { return; }
      // A change may be on its way in this very moment: look again before fetching.
      setTimeout(function () { if (!fetching && behind(numbers)) { refresh(); } }, 2000);
    }

    function total() {
      return Object.keys(state.counts).reduce(function (sum, key) { return sum + state.counts[key]; }, 0);
    }

    function fill(tr, row) {
      var noName = texts.getAttribute("data-no-name");
      var genders = JSON.parse(texts.getAttribute("data-genders"));
      tr.setAttribute("data-row", row.id);
      tr.setAttribute("data-urgent", row.urgent ? "1" : "0");
      tr.setAttribute("data-queued", row.queued_at);
      tr.querySelector('[data-field="nickname"]').textContent = row.nickname || noName;
      var preferred = tr.querySelector('[data-field="preferred"]');
      preferred.textContent = preferred.textContent.replace("__name__", row.preferred);
      [["urgent", row.urgent], ["handover", row.handover], ["preferred", row.preferred], ["overflowed", row.overflowed]]
        .forEach(function (badge) {
          if (!badge[1]) { tr.querySelector('[data-badge="' + badge[0] + '"]').remove(); }
        });
      tr.querySelector('[data-field="age"]').textContent = row.age === null ? "\u2014" : String(row.age);
      tr.querySelector('[data-field="gender"]').textContent = genders[row.gender] || "\u2014";
      tr.querySelector('[data-field="place"]').textContent = row.home_region + " (" +
        (row.postcode || texts.getAttribute("data-postcode-unknown")) + ")";
      tr.querySelector('[data-field="region"]').textContent = row.region;
      tr.querySelector("time.waited").setAttribute("datetime", row.queued_at);
      var form = tr.querySelector("form");
      form.action = form.getAttribute("data-accept-url").replace(/\/0\/accept\/$/, "/" + row.id + "/accept/");
      form.removeAttribute("data-accept-url");
      var accept = tr.querySelector('[data-field="accept"]');
      accept.textContent = accept.textContent.replace("__name__", row.nickname || texts.getAttribute("data-chat"));
    }

    function before(a, b) {  // the queue's order: urgent first, then longest waiting, then id
      if (a.urgent !== b.urgent) { return a.urgent; }
      if (a.queued !== b.queued) { return a.queued < b.queued; }
      return a.id < b.id;
    }

    function keyOf(tr) {
      return { urgent: tr.getAttribute("data-urgent") === "1", queued: new Date(tr.getAttribute("data-queued")).getTime(),
        id: parseInt(tr.getAttribute("data-row"), 10) };
    }

    function show(frame) {
      var body = container.querySelector("[data-queue-rows]");
      var old = body.querySelector('[data-row="' + frame.conversation + '"]');
      if (old) { old.remove(); }
      if (frame.row) {
        var tr = template.content.firstElementChild.cloneNode(true);
        fill(tr, frame.row);
        var key = keyOf(tr);
        var next = Array.prototype.find.call(body.children, function (other) { return before(key, keyOf(other)); });
        body.insertBefore(tr, next || null);
      }
      var count = total();
      var heading = container.querySelector("[data-queue-heading]");
      heading.textContent = count === 1 ? texts.getAttribute("data-heading-one")
        : texts.getAttribute("data-heading-many").replace("2", String(count));
      var any = body.children.length > 0;
      container.querySelector("[data-queue-table]").hidden = !any;
      container.querySelector("[data-queue-empty]").hidden = any;
      tickWaitingTimes(container);
    }

    function apply(frame) {
      if (fetching) { held.push(frame); return; }
      if (state === null) { refresh(); return; }
      var region = String(frame.region);
      var last = state.numbers[region];
      if (last === undefined || frame.seq > last + 1) { refresh(); return; }  // a queue new to the page, or a change missed
      if (frame.seq <= last) { return; }  // already in what the page fetched
      state.numbers[region] = frame.seq;
      state.counts[region] = frame.count;
      if (frame.mine || state.mine.indexOf(frame.conversation) !== -1) { refresh(); return; }
      if (state.page !== 1 || total() > state.pageSize) { refresh(); return; }
      show(frame);
    }

    function connect() {
      var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      var socket = new WebSocket(scheme + window.location.host + path);
      socket.addEventListener("open", function () { delay = 500; refresh(); });
      socket.addEventListener("message", function (event) {
        var frame;
        try { frame = JSON.parse(event.data); } catch (e) { return; }
        if (frame.type === "queue.changed") { refresh(); }
        else if (frame.type === "queue.row" && rows) { apply(frame); }
        else if (frame.type === "queue.numbers" && rows) { checkNumbers(frame.numbers); }
      });
      socket.addEventListener("close", function (event) {
        if (event.code === 4401 || event.code === 4403) { window.location.reload(); return; }
        setTimeout(connect, delay);
        delay = Math.min(delay * 2, 8000);
      });
    }
    readState();
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
