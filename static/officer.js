/* Officer pages, progressive enhancement only: without JavaScript the link stays
   selectable text and the browser's own Print works.
   - [data-copy="ID"]: shows a button that copies the text of #ID, and says so.
   - [data-print]: shows a button that opens the print dialogue. */
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) { // older browsers
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var copied = document.execCommand("copy");
      document.body.removeChild(area);
      if (copied) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }

  document.querySelectorAll("[data-copy]").forEach(function (holder) {
    var source = document.getElementById(holder.getAttribute("data-copy"));
    var button = holder.querySelector("button");
    var status = holder.querySelector("[role=status]");
    if (!source || !button) { return; }
    holder.hidden = false;
    button.addEventListener("click", function () {
      copyText(source.textContent.trim()).then(function () {
        status.textContent = status.getAttribute("data-copied");
      }, function () {
        status.textContent = status.getAttribute("data-failed");
      });
    });
  });

  document.querySelectorAll("[data-print]").forEach(function (holder) {
    holder.hidden = false;
    holder.querySelector("button").addEventListener("click", function () { window.print(); });
  });
}());
