/* Polls an import job's progress until it has finished, then reloads to show the result. */
(function () {
    "use strict";
    var box = document.querySelector("[data-progress-url]");
    if (!box) { return; }
    var bar = box.querySelector(".hn-progress__bar span");
    var text = box.querySelector(".hn-progress__text");
    function poll() {
        fetch(box.getAttribute("data-progress-url"), { credentials: "same-origin" })
            .then(function (r) { return r.json(); })
            .then(function (job) {
                bar.style.width = job.percent + "%";
                text.textContent = job.status_label + " · " + job.processed_rows + " / " + job.total_rows;
                if (job.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
            })
            .catch(function () { window.setTimeout(poll, 3000); });
    }
    poll();
})();
