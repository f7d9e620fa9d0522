// The only script: the lease countdown (a warning at one minute, renewed in the background while
// the person is active on the card), a typed note kept across expiry and reload, "no double
// submit", the undo banner's end, and keys 1–4 / ? on the card. Pages work without it.
(function () {
  "use strict";
  var ACTIVE_MS = 120000; // activity this recent keeps the lease alive
  var RENEW_AT_S = 90; // renew when this little is left and the person is active
  var WARN_AT_S = 60;

  var msg = new URLSearchParams(window.location.search).get("msg");
  // A one-off message (?msg=renewed…) is for this visit only: a reload must not show it again.
  if (window.history && window.history.replaceState && /[?&]msg=/.test(window.location.search)) {
    var url = new URL(window.location.href);
    url.searchParams.delete("msg");
    window.history.replaceState(null, "", url.pathname + url.search + url.hash);
  }

  var lease = document.querySelector(".lease[data-lease-seconds]");
  var note = document.getElementById("note");
  var task = lease ? lease.getAttribute("data-task") : null;
  var noteKey = task ? "duluan-note-" + task : null;

  if (window.localStorage && (msg === "saved" || msg === "saved_next")) {
    // a verdict was stored: the notes kept for other tasks have done their job
    try {
      Object.keys(window.localStorage).forEach(function (key) {
        if (key.indexOf("duluan-note-") === 0 && key !== noteKey) {
          window.localStorage.removeItem(key);
        }
      });
    } catch (e) { /* ignore */ }
  }

  if (note && noteKey && window.localStorage) {
    try {
      var kept = window.localStorage.getItem(noteKey);
      if (kept && !note.value) { note.value = kept; }
      note.addEventListener("input", function () {
        try { window.localStorage.setItem(noteKey, note.value); } catch (e) { /* full or private */ }
      });
    } catch (e) { /* storage refused: the note just is not kept */ }
  }

  if (lease) {
    var left = parseInt(lease.getAttribute("data-lease-seconds"), 10) || 0;
    var out = lease.querySelector(".lease-left");
    var text = lease.querySelector(".lease-text");
    var status = lease.querySelector(".lease-note");
    var renewForm = lease.querySelector("form.lease-renew");
    var end = Date.now() + left * 1000;
    var lastActive = Date.now();
    var renewing = false;
    var over = false;
    ["input", "keydown", "pointerdown", "scroll", "touchstart"].forEach(function (name) {
      document.addEventListener(name, function () { lastActive = Date.now(); }, { passive: true });
    });
    var say = function (message) { if (status) { status.textContent = message; } };
    var renew = function () {
      if (renewing || !renewForm || !window.fetch) { return; }
      renewing = true;
      fetch(renewForm.action, {
        method: "POST",
        body: new FormData(renewForm),
        headers: { "X-Lease-Renew": "auto" },
        credentials: "same-origin"
      }).then(function (r) {
        return r.json().then(function (body) {
          if (r.ok && typeof body.lease_seconds === "number") {
            end = Date.now() + body.lease_seconds * 1000;
            lease.classList.remove("warn");
            lease.removeAttribute("role");
            say(lease.getAttribute("data-renewed"));
          }
        });
      }).catch(function () { /* offline: the countdown goes on, the warning shows */ })
        .then(function () { renewing = false; });
    };
    var tick = function () {
      var s = Math.max(0, Math.round((end - Date.now()) / 1000));
      if (s === 0) {
        over = true;
        lease.classList.remove("warn");
        lease.classList.add("over");
        lease.setAttribute("role", "alert");
        if (text) { text.textContent = lease.getAttribute("data-over"); }
        say("");
        var flash = document.querySelector(".flash");
        if (flash) { flash.hidden = true; } // e.g. "renewed", no longer true
        return;
      }
      out.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
      if (s <= RENEW_AT_S && Date.now() - lastActive < ACTIVE_MS) {
        renew();
      } else if (s <= WARN_AT_S && !lease.classList.contains("warn")) {
        lease.classList.add("warn");
        lease.setAttribute("role", "alert");
        say(lease.getAttribute("data-warn"));
      }
      if (!over) { setTimeout(tick, 1000); }
    };
    tick();
  }

  // "Hoàn tác": the banner goes when its window ends (the server refuses a late undo anyway).
  var undoBox = document.querySelector(".undo[data-undo-seconds]");
  if (undoBox) {
    var undoLeft = parseInt(undoBox.getAttribute("data-undo-seconds"), 10) || 0;
    setTimeout(function () { undoBox.parentNode.removeChild(undoBox); }, undoLeft * 1000);
  }

  // Keys on the card: 1–4 choose the verdict shown on each button, ? lists the keys (a modal
  // dialog; Esc closes it). Never while typing (the note, a skip reason) or with a modifier.
  var bar = document.querySelector(".verdict-bar");
  var keys = document.getElementById("keys");
  var opener = document.querySelector(".keys-open");
  var canDialog = keys && typeof keys.showModal === "function";
  if (opener && canDialog) {
    opener.hidden = false;
    opener.addEventListener("click", function () { keys.showModal(); });
  }
  document.addEventListener("keydown", function (event) {
    if (!bar || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) { return; }
    var el = event.target;
    var tag = el && el.tagName;
    if (tag === "TEXTAREA" || tag === "INPUT" || tag === "SELECT" || (el && el.isContentEditable)) {
      return;
    }
    if (keys && keys.open) { return; } // Esc closes the dialog natively
    if (event.key === "?") {
      if (canDialog) { event.preventDefault(); keys.showModal(); }
      return;
    }
    if (/^[1-4]$/.test(event.key)) {
      var button = bar.querySelector('button[data-key="' + event.key + '"]');
      if (button) { event.preventDefault(); button.click(); }
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.getAttribute("method") === "dialog") { return; } // closes the keys list, sends nothing
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    setTimeout(function () { delete form.dataset.sent; }, 5000);
  });
})();
