// 镜鉴 search as you type. Progressive: without this script every search box still submits
// to /search, a page the server renders. Each hit may be followed by up to two of its
// passages (the articles where the words are), options of their own. Keys: "/" focuses
// the box, arrows move over hits and passages alike, Enter opens, Escape closes.
//
// Without a server (the site on nginx or IIS as plain files, or opened from disk) there is
// no /api/search: then window.jingjianSearch (static-search.js, over the index in _search/)
// answers instead, and Enter shows all results in the same list, there being no results
// page to go to.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form.search-form");
  if (!forms.length || !window.fetch) { return; }
  var base = forms[0].getAttribute("action").replace(/\/search$/, "");
  var ALL = 50; // results Enter shows without a server

  // mode resolves, once per page, to "server" when /api/search answers with JSON,
  // "static" when it does not but the static index is there, else "none".
  var modePromise = null;
  function mode() {
    if (!modePromise) {
      var fallback = function () {
        return window.jingjianSearch ? window.jingjianSearch.preload().then(function (ok) { return ok ? "static" : "none"; }) : "none";
      };
      modePromise = location.protocol === "file:" ? Promise.resolve(fallback()) :
        fetch(base + "/api/search?q=&limit=0&facets=0", { headers: { Accept: "application/json" } })
          .then(function (r) {
            if (!r.ok || !/json/.test(r.headers.get("Content-Type") || "")) { return fallback(); }
            return r.json().then(function () { return "server"; }, fallback);
          }, fallback);
      modePromise = modePromise.then(function (m) { staticMode = m === "static"; modeKnown = true; return m; });
    }
    return modePromise;
  }
  // query asks whichever search there is; null when none answers.
  function query(q, limit) {
    return mode().then(function (m) {
      if (m === "server") {
        return fetch(base + "/api/search?limit=" + limit + "&facets=0&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : null; });
      }
      if (m === "static") { return window.jingjianSearch(q, { limit: limit }); }
      return null;
    });
  }
  // link is the address of a hit's site-relative url, optionally at an anchor.
  var staticMode = false, modeKnown = false;
  function link(u, anchor) {
    if (staticMode) { return window.jingjianSearch.href(anchor ? u + "#" + anchor : u); }
    return base + encodeURI(u) + (anchor ? "#" + encodeURIComponent(anchor) : "");
  }

  // keepMarks turns the server's snippet (escaped text and <mark> only) into nodes,
  // dropping any other element should one ever appear.
  function keepMarks(html) {
    var tpl = document.createElement("template");
    tpl.innerHTML = html;
    var out = document.createDocumentFragment();
    tpl.content.childNodes.forEach(function (n) {
      if (n.nodeType === 3) { out.appendChild(document.createTextNode(n.textContent)); }
      else if (n.nodeName === "MARK") { var m = document.createElement("mark"); m.textContent = n.textContent; out.appendChild(m); }
      else { out.appendChild(document.createTextNode(n.textContent)); }
    });
    return out;
  }

  forms.forEach(function (form, i) {
    var input = form.querySelector("input[name=q]");
    if (!input) { return; }
    var list = document.createElement("ul");
    list.className = "live-results";
    list.id = "live-results-" + i;
    list.setAttribute("role", "listbox");
    list.hidden = true;
    form.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-autocomplete", "list");
    var timer = 0, active = -1, seq = 0;

    function close() { list.hidden = true; list.removeAttribute("data-query"); input.setAttribute("aria-expanded", "false"); active = -1; }
    function mark(n) {
      var items = list.querySelectorAll("li[role=option]");
      items.forEach(function (li, j) { li.setAttribute("aria-selected", j === n ? "true" : "false"); });
      active = n;
      if (items[n]) { input.setAttribute("aria-activedescendant", items[n].id); items[n].scrollIntoView({ block: "nearest" }); }
    }
    // option adds a result to the list and returns its link.
    function option(cls, href) {
      var li = document.createElement("li");
      li.id = list.id + "-" + list.children.length;
      li.setAttribute("role", "option");
      if (cls) { li.className = cls; }
      var a = document.createElement("a");
      a.href = href;
      li.appendChild(a);
      list.appendChild(li);
      return a;
    }
    function text(tag, cls, s) {
      var e = document.createElement(tag);
      if (cls) { e.className = cls; }
      e.textContent = s;
      return e;
    }
    function snippet(html) {
      var e = text("span", "live-snippet", "");
      e.appendChild(keepMarks(html || ""));
      return e;
    }
    function note(cls, s) {
      var li = document.createElement("li");
      li.className = cls;
      li.textContent = s;
      list.appendChild(li);
    }
    // show lists the results; all says they are the full list Enter asked for.
    function show(res, q, all) {
      var key = q + (all ? "\u0000all" : "");
      if (!list.hidden && list.getAttribute("data-query") === q && list.getAttribute("data-key") === key) { return; } // keep the selection
      list.textContent = "";
      list.setAttribute("data-query", q);
      list.setAttribute("data-key", key);
      list.classList.toggle("live-all", !!all);
      if (all) {
        var sum = "共 " + res.total + " 条结果" + (res.total > res.hits.length ? "，显示前 " + res.hits.length + " 条" : "");
        (res.expanded || []).forEach(function (e) { sum += "；已同时搜索：" + (e.term || e.Term) + " → " + (e.also || e.Also || []).join("、"); });
        note("live-none live-summary", sum);
        (res.notes || []).forEach(function (n) { note("live-none live-note", n); });
      }
      if (!res.hits || !res.hits.length) {
        note("live-none", staticMode ? "没有找到相关内容，可换用更短或更常见的词语" : "没有找到，按回车查看完整搜索页");
      }
      (res.hits || []).forEach(function (h) {
        var a = option("", link(h.url));
        a.appendChild(text("strong", "", h.title));
        if (h.section) { a.appendChild(text("span", "in-section", h.section)); }
        if (h.status && h.status !== "现行有效") { a.appendChild(text("span", "status", h.status)); }
        a.appendChild(snippet(h.snippet));
        // Up to two more places in the page, each an option of its own, indented: the
        // article the title links to is not repeated.
        var hash = h.url.indexOf("#"), at = hash < 0 ? "" : h.url.slice(hash + 1);
        var page = h.page_url || (hash < 0 ? h.url : h.url.slice(0, hash));
        (h.passages || []).filter(function (p) { return p.anchor && p.anchor !== at; }).slice(0, 2).forEach(function (p) {
          var sub = option("live-passage", link(page, p.anchor));
          sub.title = (p.heading ? p.heading + " › " : "") + p.label;
          sub.appendChild(text("span", "live-passage-label", p.label));
          sub.appendChild(snippet(p.snippet));
        });
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }
    function search(all) {
      var q = input.value.trim();
      if (!q) { close(); return; }
      var mine = ++seq;
      query(q, all ? ALL : 8)
        .then(function (res) { if (res && mine === seq) { show(res, q, all); } })
        .catch(function () { /* the form still works */ });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 150); });
    input.addEventListener("focus", mode);
    // open follows the selected result, if any; it says whether it did.
    function open() {
      var items = list.querySelectorAll("li[role=option]");
      if (list.hidden || active < 0 || !items[active]) { return false; }
      window.location.href = items[active].querySelector("a").href;
      return true;
    }
    input.addEventListener("keydown", function (e) {
      // Enter that ends an input method's composition (拼音) only confirms the characters.
      if (e.isComposing || e.keyCode === 229) { return; }
      var items = list.querySelectorAll("li[role=option]");
      if (e.key === "ArrowDown" && items.length) { e.preventDefault(); mark((active + 1) % items.length); }
      else if (e.key === "ArrowUp" && items.length) { e.preventDefault(); mark((active - 1 + items.length) % items.length); }
      else if (e.key === "Enter" && open()) { e.preventDefault(); }
      else if (e.key === "Escape") { close(); }
    });
    // Some browsers submit the form on Enter whatever the key handler did: then too a
    // selected result opens instead of the results page.
    // Without a server there is no results page: Enter lists all results here instead.
    form.addEventListener("submit", function (e) {
      if (open()) { e.preventDefault(); return; }
      if (modeKnown && !staticMode) { return; } // the server's page, or (no search at all) whatever the form leads to
      e.preventDefault();
      clearTimeout(timer);
      clearTimeout(blurTimer); // the 搜索 button took the focus: keep the list open, and the box focused
      input.focus();
      mode().then(function () {
        if (staticMode) { search(true); } else { form.submit(); }
      });
    });
    var blurTimer = 0;
    input.addEventListener("blur", function () { blurTimer = setTimeout(close, 200); });
  });

  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) { return; }
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.nodeName))) { return; }
    var box = document.querySelector("form.search-form input[name=q]");
    if (box) { e.preventDefault(); box.focus(); }
  });
})();
