/* Quick exit. Without JavaScript the button is a plain link to /exit, which ends
   the session and redirects to a neutral site. With it, the same exit
   replaces this history entry, and Escape or Shift three times trigger it. */
(function () {
  "use strict";
  var button = document.querySelector("[data-exit-button]");
  if (!button) { return; }
  var status = document.querySelector("[data-exit-status]");
  var shiftPresses = [];

  function leave(event) {
    if (event) { event.preventDefault(); }
    if (status) { status.textContent = "Leaving this site"; }
    document.body.classList.add("exiting");
    // replace(), not a normal navigation: Back must not return to this page.
    // /exit ends the session on the server, then redirects to the neutral site.
    window.location.replace(button.getAttribute("href"));
  }

  button.addEventListener("click", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { leave(event); return; }
    if (event.key !== "Shift" || event.repeat) { return; }
    var now = Date.now();
    shiftPresses = shiftPresses.filter(function (t) { return now - t < 2000; });
    shiftPresses.push(now);
    if (shiftPresses.length >= 3) { leave(event); }
  });
}());
