// The only script: the lease countdown and "no double submit". Pages work without it.
(function () {
  "use strict";
  var lease = document.querySelector(".lease[data-lease-seconds]");
  if (lease) {
    var left = parseInt(lease.getAttribute("data-lease-seconds"), 10) || 0;
    var out = lease.querySelector(".lease-left");
    var end = Date.now() + left * 1000;
    var tick = function () {
      var s = Math.max(0, Math.round((end - Date.now()) / 1000));
      out.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
      if (s === 0) {
        lease.classList.add("over");
        lease.setAttribute("role", "alert");
        out.textContent = lease.getAttribute("data-over");
        return;
      }
      setTimeout(tick, 1000);
    };
    tick();
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    setTimeout(function () { delete form.dataset.sent; }, 5000);
  });
})();
