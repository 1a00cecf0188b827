// Multichannel Support: small progressive enhancements. Every page works
// without this file; it only adds comfort.
"use strict";

// Ask before a form, or the button that submits it, marked data-confirm is
// submitted. This listens in the capture phase, before htmx sees the
// submit, so a "no" stops both the browser's submission and htmx's request;
// a "yes" adds confirmed=yes, which the server otherwise asks for with a
// confirmation page of its own (the way without JavaScript).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var button = event.submitter;
  var question = (button && button.getAttribute("data-confirm")) || (form.getAttribute && form.getAttribute("data-confirm"));
  if (!question) {
    return;
  }
  if (!window.confirm(question)) {
    event.preventDefault();
    event.stopPropagation();
    return;
  }
  if (!form.querySelector("input[name=confirmed]")) {
    var confirmed = document.createElement("input");
    confirmed.type = "hidden";
    confirmed.name = "confirmed";
    confirmed.value = "yes";
    form.appendChild(confirmed);
  }
}, true);

// Choosing a product from the catalogue fills its service type. The server
// does the same when the service type is left unknown, so this is only a
// preview of it.
document.addEventListener("input", function (event) {
  var input = event.target;
  if (!input.matches || !input.matches("input[data-fills-service-type]")) {
    return;
  }
  var list = document.getElementById(input.getAttribute("list"));
  var select = input.form && input.form.querySelector("select[data-service-type-select]");
  if (!list || !select) {
    return;
  }
  for (var i = 0; i < list.options.length; i++) {
    var option = list.options[i];
    if (option.value.toLowerCase() === input.value.trim().toLowerCase()) {
      select.value = option.getAttribute("data-service-type");
      return;
    }
  }
});

// Copy buttons are hidden until this script can make them work: a button
// with data-copy copies the value of the element whose id it names.
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) {
      return;
    }
    navigator.clipboard.writeText(source.value).then(function () {
      var label = button.textContent;
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = label; }, 1500);
    });
  });
});
