// The page's only script, hand-written and served from here (no build step, no CDN).
// Everything works without it; it adds: copy buttons, checks of a file before it is sent,
// and posting the chat's forms without a full page reload.
(function () {
  "use strict";

  function say(name) { return document.body.getAttribute("data-" + name) || ""; }

  // ---- copy -------------------------------------------------------------------------------
  // The Clipboard API must be called inside the tap handler; some in-app browsers (WeChat on
  // iOS in some versions) refuse it, so fall back to a selected textarea + execCommand.
  function copyByCommand(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "0";
    area.style.left = "0";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.focus();
    area.select();
    area.setSelectionRange(0, text.length);
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    document.body.removeChild(area);
    return done;
  }

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copied(button, ok) {
    var label = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", label);
    button.textContent = ok ? say("copied") : label;
    button.classList.toggle("done", ok);
    if (!ok) {
      var shown = button.parentNode.querySelector(".value, .body");
      if (shown) { selectText(shown); }
      window.alert(say("copy-failed"));
    }
    window.setTimeout(function () { button.textContent = label; button.classList.remove("done"); }, 1500);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) { return; }
    var text = button.getAttribute("data-copy");
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { copied(button, true); },
        function () { copied(button, copyByCommand(text)); });
    } else {
      copied(button, copyByCommand(text));
    }
  });

  // ---- files --------------------------------------------------------------------------------
  function fileProblem(form) {
    var input = form.querySelector("input[type=file]");
    var file = input && input.files && input.files[0];
    if (!file) { return form.getAttribute("data-choose-first"); }
    var chat = document.getElementById("chat");
    var sent = chat ? parseInt(chat.getAttribute("data-files") || "0", 10) : 0;
    if (sent >= parseInt(form.getAttribute("data-max-files"), 10)) { return form.getAttribute("data-too-many"); }
    if (file.size > parseInt(form.getAttribute("data-max-bytes"), 10)) { return form.getAttribute("data-too-big"); }
    var dot = file.name.lastIndexOf(".");
    var extension = dot >= 0 ? file.name.slice(dot).toLowerCase() : "";
    if (form.getAttribute("data-types").split(",").indexOf(extension) < 0) { return form.getAttribute("data-bad-type"); }
    return "";
  }

  // ---- the chat's forms -------------------------------------------------------------------
  function scrollToEnd() {
    if (document.getElementById("chat")) { window.scrollTo(0, document.body.scrollHeight); }
  }

  function replaceFrom(html) {
    var page = new DOMParser().parseFromString(html, "text/html");
    if (!page.getElementById("chat")) {
      document.body.innerHTML = page.body.innerHTML;
      return;
    }
    ["top", "chat", "composer"].forEach(function (id) {
      var now = document.getElementById(id);
      var next = page.getElementById(id);
      if (now && next) { now.replaceWith(next); }
    });
    scrollToEnd();
    var text = document.getElementById("text");
    if (text && window.matchMedia("(pointer: fine)").matches) { text.focus(); }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList.contains("turn") || !window.fetch || !window.FormData) { return; }
    if (form.classList.contains("upload")) {
      var problem = fileProblem(form);
      var shown = form.querySelector(".upload-error");
      if (problem) {
        event.preventDefault();
        shown.textContent = problem;
        shown.hidden = false;
        return;
      }
      shown.hidden = true;
    }
    if (form.classList.contains("say") && !form.querySelector("textarea").value.trim()) {
      event.preventDefault();
      return;
    }
    event.preventDefault();
    var data = new FormData(form);
    var submitter = event.submitter;
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    var buttons = document.querySelectorAll("#chat button, #composer button, #top button");
    buttons.forEach(function (b) { b.disabled = true; });
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin",
                         headers: { "X-CSRF-Token": say("csrf") } })
      .then(function (response) { return response.text(); })
      .then(replaceFrom)
      .catch(function () { form.submit(); });
  });

  document.addEventListener("DOMContentLoaded", scrollToEnd);
})();
