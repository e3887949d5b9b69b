/* Vangnet chat: after a conversation that took place, the one anonymous question appears
 * (ADR 0033). Only a chat that was answered by an employee asks it. */
(function () {
  "use strict";
  var box = document.getElementById("chat-feedback");
  var root = document.querySelector("[data-chat-socket]");
  if (!box || !root) { return; }
  var talked = false;
  new MutationObserver(function () {
    if (root.getAttribute("data-status") === "active") { talked = true; }
  }).observe(root, { attributes: true, attributeFilter: ["data-status"] });
  root.addEventListener("chat:ended", function () {
    if (talked) { box.hidden = false; }
  });
})();
