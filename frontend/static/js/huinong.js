/* 惠农集市 storefront behaviours. Plain DOM, no dependencies, no network. */
(function () {
  "use strict";

  function on(selector, event, handler) {
    document.addEventListener(event, function (e) {
      var target = e.target.closest(selector);
      if (target) handler(e, target);
    });
  }

  // Sort selects submit their form as soon as they change.
  on("[data-autosubmit]", "change", function (e, el) {
    if (el.form) el.form.submit();
  });

  // Forms that need a confirmation (e.g. revoking an API token).
  on("form[data-confirm]", "submit", function (e, form) {
    if (!window.confirm(form.getAttribute("data-confirm"))) e.preventDefault();
  });

  // Copy a value (the new API token) to the clipboard.
  on("[data-copy-target]", "click", function (e, btn) {
    var input = document.querySelector(btn.getAttribute("data-copy-target"));
    if (!input) return;
    var label = btn.querySelector("span") || btn;
    var done = function () {
      var original = label.textContent;
      label.textContent = btn.getAttribute("data-copied-text") || original;
      btn.classList.add("is-copied");
      window.setTimeout(function () {
        label.textContent = original;
        btn.classList.remove("is-copied");
      }, 2000);
    };
    input.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () {
        document.execCommand("copy");
        done();
      });
    } else {
      document.execCommand("copy");
      done();
    }
  });

  // Select the whole token when its box gets focus.
  on("[data-copy-source]", "focusin", function (e, input) {
    input.select();
  });

  // Product gallery thumbnails swap the main image.
  on("[data-gallery-src]", "click", function (e, btn) {
    var gallery = btn.closest("[data-gallery]");
    var main = gallery && gallery.querySelector("[data-gallery-main]");
    if (!main) return;
    main.src = btn.getAttribute("data-gallery-src");
    gallery.querySelectorAll("[data-gallery-src]").forEach(function (b) {
      b.classList.toggle("is-active", b === btn);
    });
  });

  // Quantity stepper (- / +) around a number input.
  on("[data-stepper] [data-step]", "click", function (e, btn) {
    var input = btn.closest("[data-stepper]").querySelector("input");
    var min = parseInt(input.getAttribute("min") || "1", 10);
    var value = (parseInt(input.value, 10) || min) + parseInt(btn.getAttribute("data-step"), 10);
    input.value = Math.max(min, value);
  });
})();
