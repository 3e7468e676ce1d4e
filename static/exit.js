/* Quick exit. Without JavaScript the button is a plain link to /exit, which ends
   the session and redirects to a neutral site. With it, the same exit replaces
   this history entry, so Back does not return here, and Escape or Shift pressed
   3 times trigger it. Messages come from data- attributes, in the page's language. */
(function () {
  "use strict";
  var button = document.querySelector("[data-exit-button]");
  if (!button) { return; }
  var status = document.querySelector("[data-exit-status]");
  var presses = 0;
  var timer = null;
  var lastKeyHadShift = false;
  var SHIFT_WINDOW = 5000; // milliseconds for the 3 presses, as on GOV.UK

  function say(name) { // name "" clears the message
    if (status) { status.textContent = status.getAttribute("data-" + name) || ""; }
  }

  function leave(event) {
    if (event) { event.preventDefault(); }
    say("leaving");
    document.documentElement.classList.add("exiting");
    // replace(), not a normal navigation: Back must not return to this page.
    window.location.replace(button.href);
  }

  function reset() {
    presses = 0;
    clearTimeout(timer);
  }

  // The keys below work only with this script: only now does the note offer them.
  var keys = document.querySelector("[data-exit-keys]");
  if (keys) { keys.hidden = false; }
  button.addEventListener("click", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !event.isComposing) { leave(event); }
  });
  // Shift is counted when released, and not straight after a key typed with
  // Shift held: typing capital letters is not a press. Any other key starts again.
  document.addEventListener("keyup", function (event) {
    var counted = event.key === "Shift" && !lastKeyHadShift;
    lastKeyHadShift = event.shiftKey;
    if (!counted) {
      if (presses) { reset(); say(""); }
      return;
    }
    presses += 1;
    clearTimeout(timer);
    if (presses >= 3) { leave(); return; }
    say(presses === 1 ? "two-more" : "one-more");
    timer = setTimeout(function () { reset(); say("timed-out"); }, SHIFT_WINDOW);
  });
  // If a browser brings this page back from its memory after leaving, leave again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && document.documentElement.classList.contains("exiting")) { leave(); }
  });
}());
