/* Cascading province → city → county picker for delivery addresses.
 *
 * A form marked data-region-picker="<url of divisions.json>" keeps its three text inputs
 * (state, line4, line3) as the fallback without JavaScript; here they become three selects
 * with the same names and ids (labels keep working), filled from the bundled national
 * division table, and the hidden region_code gets the county's six-digit code. Values that
 * are already in the form (a page shown again with errors) are selected again. On English
 * pages data-region-names="<url of divisions.en.json>" gives each option its English name by
 * code; the values sent stay the stored Chinese names. */
(function () {
  "use strict";

  function option(value, text, selected) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = text;
    if (selected) o.selected = true;
    return o;
  }

  function toSelect(input, placeholder) {
    var select = document.createElement("select");
    select.name = input.name;
    select.id = input.id;
    select.className = input.className.replace("form-control", "custom-select form-control");
    select.required = input.required;
    if (input.getAttribute("aria-describedby")) {
      select.setAttribute("aria-describedby", input.getAttribute("aria-describedby"));
    }
    select.dataset.placeholder = placeholder;
    select.dataset.initial = input.value.trim();
    input.replaceWith(select);
    return select;
  }

  function fill(select, items, current, english) {
    select.innerHTML = "";
    select.appendChild(option("", select.dataset.placeholder, !current));
    items.forEach(function (item) {
      select.appendChild(option(item[1], english[item[0]] || item[1], item[1] === current));
    });
    select.disabled = items.length === 0;
  }

  function find(items, name) {
    for (var i = 0; i < items.length; i++) if (items[i][1] === name) return items[i];
    return null;
  }

  function load(url) {
    if (!url) return Promise.resolve({});
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    });
  }

  function init(form) {
    var province = form.querySelector("input[name=state]");
    var city = form.querySelector("input[name=line4]");
    var county = form.querySelector("input[name=line3]");
    var code = form.querySelector("input[name=region_code]");
    if (!province || !city || !county || !code) return;
    Promise.all([load(form.dataset.regionPicker), load(form.dataset.regionNames)])
      .then(function (loaded) {
        var table = loaded[0];
        var english = loaded[1];
        var p = toSelect(province, province.placeholder || "—");
        var c = toSelect(city, city.placeholder || "—");
        var k = toSelect(county, county.placeholder || "—");
        p.dataset.placeholder = form.dataset.pickProvince;
        c.dataset.placeholder = form.dataset.pickCity;
        k.dataset.placeholder = form.dataset.pickCounty;

        function cities() {
          var found = find(table, p.value);
          return found ? found[2] : [];
        }
        function counties() {
          var found = find(cities(), c.value);
          return found ? found[2] : [];
        }
        function sync() {
          var found = find(counties(), k.value);
          code.value = found ? found[0] : "";
        }

        fill(p, table, p.dataset.initial, english);
        fill(c, cities(), c.dataset.initial, english);
        fill(k, counties(), k.dataset.initial, english);
        sync();
        p.addEventListener("change", function () {
          fill(c, cities(), "", english);
          fill(k, [], "", english);
          sync();
        });
        c.addEventListener("change", function () {
          fill(k, counties(), "", english);
          sync();
        });
        k.addEventListener("change", sync);
      })
      .catch(function () {
        /* The text inputs stay; the server checks the names against the same table. */
      });
  }

  document.querySelectorAll("form[data-region-picker]").forEach(init);
})();
