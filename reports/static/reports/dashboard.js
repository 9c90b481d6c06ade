/* Draws the dashboard charts from the JSON the page embeds (#hn-chart-data) with Chart.js. */
(function () {
    "use strict";
    var node = document.getElementById("hn-chart-data");
    if (!node || typeof Chart === "undefined") { return; }
    var data = JSON.parse(node.textContent);
    var green = "#1f7a4d", gold = "#d99a1c", grey = "#a7b3ab";
    var palette = ["#1f7a4d", "#d99a1c", "#3b82c4", "#c2410c", "#7c3aed", "#0f766e", "#be185d", "#65a30d", "#475569"];
    var num = function (values) { return values.map(function (v) { return Number(v); }); };
    var english = document.documentElement.lang && document.documentElement.lang.indexOf("en") === 0;
    // Every money axis counts in 万元 (as the bureau's charts do), whatever the size of a tick.
    var wan = function (v) {
        return (Number(v) / 1e4).toLocaleString(english ? "en" : "zh-CN", { maximumFractionDigits: 1 });
    };
    var wanAxis = { ticks: { callback: wan }, title: { display: true, text: english ? "10,000 yuan" : "万元" } };
    var tooltip = { callbacks: { label: function (ctx) { return (ctx.dataset.label ? ctx.dataset.label + "：" : "") + "¥" + Number(ctx.raw).toLocaleString("zh-CN", { minimumFractionDigits: 2 }); } } };
    Chart.defaults.font.family = "-apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif";
    Chart.defaults.maintainAspectRatio = false;
    Chart.defaults.animation = false;
    window.hnCharts = [];

    function draw(id, config) {
        var canvas = document.getElementById(id);
        if (canvas) { window.hnCharts.push(new Chart(canvas, config)); }
    }
    var thisYear = english ? "This period" : "本期";
    var lastYear = english ? "Same period last year" : "上年同期";
    draw("chart-trend", {
        type: "line",
        data: {
            labels: data.months,
            datasets: [
                { label: thisYear, data: num(data.trend), borderColor: green, backgroundColor: "rgba(31,122,77,.12)", fill: true, tension: 0.25 },
                { label: lastYear, data: num(data.trend_last), borderColor: grey, borderDash: [6, 4], fill: false, tension: 0.25 }
            ]
        },
        options: { plugins: { tooltip: tooltip }, scales: { y: wanAxis } }
    });
    draw("chart-county", {
        type: "bar",
        data: { labels: data.counties, datasets: [{ data: num(data.county_sales), backgroundColor: green }] },
        options: { indexAxis: "y", plugins: { legend: { display: false }, tooltip: tooltip }, scales: { x: wanAxis } }
    });
    draw("chart-category", {
        type: "doughnut",
        data: { labels: data.categories, datasets: [{ data: num(data.category_sales), backgroundColor: palette }] },
        options: { plugins: { legend: { position: "right" }, tooltip: tooltip } }
    });
    draw("chart-channel", {
        type: "bar",
        data: { labels: data.channels, datasets: [{ data: num(data.channel_sales), backgroundColor: [green, gold, "#3b82c4", "#c2410c", "#7c3aed"] }] },
        options: { plugins: { legend: { display: false }, tooltip: tooltip }, scales: { y: wanAxis } }
    });
})();
