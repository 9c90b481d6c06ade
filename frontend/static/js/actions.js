/*
 * What Oscar's templates did with on*= attributes, which the Content-Security-Policy does not
 * run (script-src-attr 'none'): loaded on every page, the dashboard's included.
 *   data-hn-back     a link that goes back one page
 *   data-hn-close    a link that closes its popup window
 *   data-hn-print    a button that prints the page
 *   data-hn-upload-preview="#button"  an image preview that hides its upload button once
 *                    the chosen image shows, and shows it again (with data-hn-upload-error)
 *                    if the browser cannot read the file
 */
(function () {
  "use strict";

  function on(selector, event, handler, capture) {
    document.addEventListener(event, function (e) {
      var target = e.target instanceof Element ? e.target.closest(selector) : null;
      if (target) handler(e, target);
    }, capture || false);
  }

  on("[data-hn-back]", "click", function (e) {
    e.preventDefault();
    window.history.back();
  });

  on("[data-hn-close]", "click", function (e) {
    e.preventDefault();
    window.close();
  });

  on("[data-hn-print]", "click", function () {
    window.print();
  });

  // load and error do not bubble: listen in the capture phase.
  function uploadButton(img) {
    return document.querySelector(img.getAttribute("data-hn-upload-preview"));
  }
  on("img[data-hn-upload-preview]", "load", function (e, img) {
    var button = uploadButton(img);
    if (button) button.style.display = "none";
  }, true);
  on("img[data-hn-upload-preview]", "error", function (e, img) {
    if (!img.getAttribute("src")) return;
    var button = uploadButton(img);
    if (button) button.style.display = "";
    window.alert(img.getAttribute("data-hn-upload-error"));
  }, true);
})();
