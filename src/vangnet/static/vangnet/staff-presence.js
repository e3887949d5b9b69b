/* Vangnet: keeps the employee's presence alive while a conversation page is open (ADR 0033).
 * The queue socket is the employee's heartbeat; without it, their running chats go back to
 * the queue after the desk's set time, for a colleague to continue. */
(function () {
  "use strict";
  var holder = document.querySelector("[data-presence-socket]");
  if (!holder) { return; }
  var delay = 1000;
  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + holder.getAttribute("data-presence-socket"));
    socket.addEventListener("open", function () { delay = 1000; });
    socket.addEventListener("close", function (event) {
      if (event.code === 4401 || event.code === 4403) { return; }
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 15000);
    });
  }
  connect();
})();
