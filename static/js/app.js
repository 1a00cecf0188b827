// Multichannel Support: small progressive enhancements. Every page works
// without this file; it only adds comfort.
"use strict";

// Ask before a form marked data-confirm is submitted.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);
