/* Home page carousel: dots move the scroll-snapped track; it advances every 6 s unless the
   visitor is pointing at it or prefers reduced motion. Plain DOM, no network. */
(function () {
  "use strict";
  var root = document.querySelector("[data-hn-carousel]");
  if (!root) return;
  var track = root.querySelector(".hn-carousel__track");
  var dots = root.querySelectorAll("[data-hn-slide]");
  if (!track || dots.length < 2) return;
  var current = 0;
  var paused = false;

  function show(index) {
    current = (index + dots.length) % dots.length;
    track.scrollTo({ left: current * track.clientWidth });
    dots.forEach(function (dot, i) {
      dot.classList.toggle("is-active", i === current);
      dot.setAttribute("aria-current", i === current ? "true" : "false");
    });
  }

  dots.forEach(function (dot) {
    dot.addEventListener("click", function () { show(parseInt(dot.getAttribute("data-hn-slide"), 10)); });
  });
  track.addEventListener("scroll", function () {
    var index = Math.round(track.scrollLeft / Math.max(1, track.clientWidth));
    if (index !== current) {
      current = index;
      dots.forEach(function (dot, i) { dot.classList.toggle("is-active", i === current); });
    }
  }, { passive: true });
  root.addEventListener("mouseenter", function () { paused = true; });
  root.addEventListener("mouseleave", function () { paused = false; });
  root.addEventListener("focusin", function () { paused = true; });
  if (!window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    window.setInterval(function () { if (!paused && !document.hidden) show(current + 1); }, 6000);
  }
})();
