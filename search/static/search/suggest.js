/* 惠农集市 header search box: suggestions as you type (Chinese or pinyin), keyboard friendly.
   Asks the form's data-suggest-url (JSON) after a short pause; no dependencies. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-suggest-url]");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var list = form.querySelector(".hn-suggest");
  var url = form.getAttribute("data-suggest-url");
  var timer = null;
  var lastAsked = "";
  var active = -1;
  var cache = {};

  function close() {
    list.hidden = true;
    list.innerHTML = "";
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function mark(title, typed) {
    // Text nodes only: titles are never inserted as HTML.
    var frag = document.createDocumentFragment();
    var at = typed ? title.toLowerCase().indexOf(typed.toLowerCase()) : -1;
    if (at < 0) {
      frag.appendChild(document.createTextNode(title));
      return frag;
    }
    frag.appendChild(document.createTextNode(title.slice(0, at)));
    var m = document.createElement("mark");
    m.textContent = title.slice(at, at + typed.length);
    frag.appendChild(m);
    frag.appendChild(document.createTextNode(title.slice(at + typed.length)));
    return frag;
  }

  function render(typed, items) {
    list.innerHTML = "";
    active = -1;
    if (!items.length) return close();
    items.forEach(function (item, i) {
      var li = document.createElement("li");
      li.className = "hn-suggest__item";
      li.id = "hn-suggest-" + i;
      li.setAttribute("role", "option");
      var a = document.createElement("a");
      a.href = item.url;
      if (item.html) {
        a.innerHTML = item.html; // escaped by the server; only <mark> is markup
      } else {
        a.appendChild(mark(item.title, typed));
      }
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function ask() {
    var typed = input.value.trim();
    if (!typed) return close();
    if (typed === lastAsked) return;
    lastAsked = typed;
    if (cache[typed]) return render(typed, cache[typed]);
    fetch(url + "?q=" + encodeURIComponent(typed), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
      .then(function (data) {
        cache[typed] = data.suggestions || [];
        if (input.value.trim() === typed) render(typed, cache[typed]);
      })
      .catch(function () { /* suggestions are a convenience: the form still submits */ });
  }

  function move(step) {
    var items = list.querySelectorAll(".hn-suggest__item");
    if (!items.length) return;
    if (active >= 0) items[active].classList.remove("is-active");
    active = (active + step + items.length) % items.length;
    items[active].classList.add("is-active");
    input.setAttribute("aria-activedescendant", items[active].id);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 150);
  });
  input.addEventListener("keydown", function (e) {
    if (list.hidden) return;
    if (e.key === "ArrowDown") { e.preventDefault(); move(1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); move(-1); }
    else if (e.key === "Escape") { close(); }
    else if (e.key === "Enter" && active >= 0) {
      e.preventDefault();
      window.location.href = list.querySelectorAll(".hn-suggest__item a")[active].href;
    }
  });
  document.addEventListener("click", function (e) {
    if (!form.contains(e.target)) close();
  });
  input.addEventListener("focus", function () { lastAsked = ""; ask(); });
})();
