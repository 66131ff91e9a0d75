// 镜鉴 lecture basket (素材篮): collect pages and articles of regulations while preparing a
// warning-education talk, then order, annotate, print or export them on the basket page.
// Everything lives in this browser's localStorage, one basket per site (keyed by the
// basket page's path, so two sites on one host keep two baskets); other tabs follow
// through the storage event. Without this script the header link leads to a page that
// says the basket needs JavaScript.
(function () {
  "use strict";
  // readable shows an address as people read and type it: 中文 rather than %E4%B8%AD…
  // (the link itself keeps the encoded form).
  function readable(u) {
    try { return decodeURI(u); } catch (e) { return u; }
  }
  var link = document.querySelector("a.basket-link");
  if (!link || !window.localStorage) { return; }
  var key = "jingjian-basket:" + new URL(link.href, location.href).pathname;
  var state = load();

  function load() {
    var s = null;
    try { s = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { s = null; }
    if (!s || typeof s !== "object") { s = {}; }
    if (!Array.isArray(s.items)) { s.items = []; }
    if (!s.talk || typeof s.talk !== "object") { s.talk = {}; }
    return s;
  }
  function save() {
    try { localStorage.setItem(key, JSON.stringify(state)); } catch (e) { /* full or disabled: the page still shows it */ }
    refresh();
  }
  function find(id) {
    for (var i = 0; i < state.items.length; i++) {
      if (state.items[i].id === id) { return i; }
    }
    return -1;
  }

  var toggles = []; // [button, item] of this page's 加入素材篮 buttons
  function refresh() {
    var count = link.querySelector(".basket-count");
    if (count) { count.textContent = "（" + state.items.length + "）"; }
    toggles.forEach(function (t) {
      var has = find(t[1].id) >= 0;
      t[0].textContent = has ? "移出素材篮" : "加入素材篮";
      t[0].setAttribute("aria-pressed", has ? "true" : "false");
      var what = t[0].getAttribute("data-what");
      if (what) { t[0].setAttribute("aria-label", t[0].textContent + "：" + what); }
    });
    if (page) { draw(); }
  }
  function toggle(button, item) {
    toggles.push([button, item]);
    button.type = "button";
    button.addEventListener("click", function () {
      var i = find(item.id);
      if (i >= 0) {
        state.items.splice(i, 1);
      } else {
        item.added = new Date().toISOString();
        state.items.push(item);
      }
      save();
    });
  }
  function text(el) { return el ? el.textContent.replace(/\s+/g, " ").trim() : ""; }

  // A regular page: its title, date, section (the breadcrumb above it) and address.
  var single = document.querySelector("article.single");
  if (single) {
    var here = location.href.replace(/#.*$/, "");
    var crumbs = document.querySelectorAll(".breadcrumbs li");
    var qr = single.getAttribute("data-qr");
    var pageItem = {
      id: "page:" + here, kind: "page", title: text(single.querySelector("h1")),
      date: text(single.querySelector(".single-meta time")),
      section: crumbs.length >= 2 ? text(crumbs[crumbs.length - 2]) : "",
      url: here, qr: qr ? new URL(qr, location.href).href : "", note: ""
    };
    var head = single.querySelector(".single-header") || single;
    var add = document.createElement("button");
    add.className = "basket-add";
    head.appendChild(add);
    toggle(add, pageItem);

    // Each article of a regulation: its citation and its text.
    var content = single.querySelector(".content[data-cite-title]");
    if (content) {
      var title = content.getAttribute("data-cite-title");
      var version = content.getAttribute("data-cite-version") || "";
      content.querySelectorAll("p.article[id]").forEach(function (p) {
        var no = p.querySelector("a.article-no");
        if (!no) { return; }
        var copy = p.cloneNode(true);
        copy.querySelectorAll("button").forEach(function (b) { b.remove(); });
        var label = text(no);
        var b = document.createElement("button");
        b.className = "basket-add basket-add-article";
        b.setAttribute("data-what", title + label);
        p.appendChild(b);
        toggle(b, {
          id: "article:" + here + "#" + p.id, kind: "article", title: title + label,
          cite: title + label + version, text: text(copy), version: version.replace(/^（|）$/g, ""),
          date: pageItem.date, section: pageItem.section,
          url: here + "#" + encodeURIComponent(p.id), page: here, qr: pageItem.qr, note: ""
        });
      });
    }
  }

  // Search results (the results page of jingjian serve): a button per hit. The hit's QR
  // code, if the site has one, is where single.html names it: /qr + the page's path.
  var hits = document.querySelectorAll(".search-hits > li");
  if (hits.length) {
    var basketPath = new URL(link.href, location.href).pathname;
    var base = basketPath.replace(/[^/]+\/$/, ""); // the site's base path, ending in /
    hits.forEach(function (li) {
      var a = li.querySelector(".search-hit-title a");
      if (!a) { return; }
      var u = new URL(a.href, location.href);
      u.hash = "";
      var rest = u.pathname.indexOf(base) === 0 ? u.pathname.slice(base.length - 1) : u.pathname;
      var b = document.createElement("button");
      b.className = "basket-add basket-add-hit";
      b.setAttribute("data-what", text(a));
      li.appendChild(b);
      toggle(b, {
        id: "page:" + u.href, kind: "page", title: text(a), date: text(li.querySelector("time")),
        section: text(li.querySelector(".in-section")), url: u.href,
        qr: /\/$/.test(rest) ? u.origin + base + "qr" + rest + "index.svg" : "", note: ""
      });
    });
  }

  // The basket page.
  var page = document.querySelector("[data-basket-page]");
  var list, talk;
  if (page) {
    list = page.querySelector(".basket-items");
    talk = page.querySelector(".basket-talk");
    talk.hidden = false;
    page.querySelector(".basket-tools").hidden = false;
    page.querySelector(".basket-handout-head").hidden = false;
    ["title", "speaker", "date"].forEach(function (name) {
      var input = talk.elements[name];
      input.addEventListener("input", function () {
        state.talk[name] = input.value;
        try { localStorage.setItem(key, JSON.stringify(state)); } catch (e) { /* ignore */ }
        drawHead();
      });
    });
    talk.addEventListener("submit", function (e) { e.preventDefault(); });
    page.querySelector(".basket-tools").addEventListener("click", function (e) {
      var action = e.target.getAttribute && e.target.getAttribute("data-basket-action");
      if (action) { act(action); }
    });
  }

  function longDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? m[1] + "年" + Number(m[2]) + "月" + Number(m[3]) + "日" : (iso || "");
  }
  function drawHead() {
    page.querySelector(".basket-handout-title").textContent = state.talk.title || "警示教育讲义";
    var meta = [];
    if (state.talk.speaker) { meta.push("主讲人：" + state.talk.speaker); }
    if (state.talk.date) { meta.push("日期：" + longDate(state.talk.date)); }
    meta.push("共 " + state.items.length + " 项材料");
    page.querySelector(".basket-handout-meta").textContent = meta.join("　");
  }
  function el(tag, cls, txt) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (txt !== undefined) { e.textContent = txt; }
    return e;
  }
  function control(label, name, i, disabled) {
    var b = el("button", "basket-" + name, label);
    b.type = "button";
    b.disabled = disabled;
    b.setAttribute("data-move", name);
    b.setAttribute("aria-label", label + "：" + state.items[i].title);
    b.addEventListener("click", function () {
      var item = state.items[i];
      if (name === "remove") {
        state.items.splice(i, 1);
      } else {
        var j = name === "up" ? i - 1 : i + 1;
        state.items[i] = state.items[j];
        state.items[j] = item;
        focusAfter = [item.id, name];
      }
      save();
      if (name === "remove") { status("已删除：" + item.title); }
    });
    return b;
  }
  var focusAfter = null; // after a move, the moved item's same button keeps the focus
  var dragged = null; // the id of the item being dragged
  function draw() {
    ["title", "speaker", "date"].forEach(function (name) {
      var input = talk.elements[name];
      if (document.activeElement !== input) { input.value = state.talk[name] || ""; }
    });
    drawHead();
    var n = state.items.length;
    page.querySelector(".basket-empty").hidden = n > 0;
    list.hidden = n === 0;
    var qrNote = page.querySelector(".basket-qr-note");
    qrNote.hidden = true; // until an article's QR code (its page's) has loaded
    var active = document.activeElement;
    var editing = active && active.tagName === "TEXTAREA" && list.contains(active) ? active.getAttribute("data-id") : null;
    list.textContent = "";
    state.items.forEach(function (item, i) {
      var li = el("li", "basket-item basket-item-" + item.kind);
      li.setAttribute("data-id", item.id);
      var body = el("div", "basket-body");
      var h = el("h2", "basket-item-title");
      var a = el("a", "", item.title || item.url);
      a.href = item.url;
      h.appendChild(a);
      body.appendChild(h);
      var meta = [];
      if (item.section) { meta.push("来源：" + item.section); }
      if (item.date) { meta.push("日期：" + item.date); }
      if (meta.length) { body.appendChild(el("p", "basket-meta", meta.join("　"))); }
      if (item.kind === "article") {
        body.appendChild(el("p", "basket-cite", "引用：" + item.cite));
        body.appendChild(el("blockquote", "basket-text", item.text));
      }
      body.appendChild(el("p", "basket-url", readable(item.url)));
      var label = el("label", "basket-note-label", "批注");
      var area = el("textarea", "basket-note");
      area.id = "basket-note-" + i;
      label.htmlFor = area.id;
      area.rows = 2;
      area.value = item.note || "";
      area.setAttribute("data-id", item.id);
      var printed = el("p", "basket-note-print", item.note ? "批注：" + item.note : "");
      area.addEventListener("input", function () {
        item.note = area.value;
        printed.textContent = item.note ? "批注：" + item.note : "";
        try { localStorage.setItem(key, JSON.stringify(state)); } catch (e) { /* ignore */ }
      });
      body.appendChild(label);
      body.appendChild(area);
      body.appendChild(printed);
      li.appendChild(body);
      if (item.qr) {
        var img = el("img", "basket-qr");
        img.alt = "二维码：" + (item.kind === "article" ? item.page : item.url);
        img.width = 96;
        img.height = 96;
        img.addEventListener("error", function () { img.remove(); });
        if (item.kind === "article") { img.addEventListener("load", function () { qrNote.hidden = false; }); }
        img.src = item.qr;
        li.appendChild(img);
      }
      // Dragging by the handle moves an item too; the buttons do the same by keyboard.
      var handle = el("span", "basket-handle", "⠿");
      handle.draggable = true;
      handle.title = "拖动以调整顺序";
      handle.setAttribute("aria-hidden", "true");
      handle.addEventListener("dragstart", function (e) {
        e.dataTransfer.effectAllowed = "move";
        e.dataTransfer.setData("text/plain", item.id);
        dragged = item.id;
        li.classList.add("basket-dragging");
      });
      handle.addEventListener("dragend", function () { li.classList.remove("basket-dragging"); dragged = null; });
      li.addEventListener("dragover", function (e) {
        if (dragged && dragged !== item.id) { e.preventDefault(); e.dataTransfer.dropEffect = "move"; }
      });
      li.addEventListener("drop", function (e) {
        e.preventDefault();
        var from = find(dragged);
        var to = find(item.id);
        if (from < 0 || to < 0 || from === to) { return; }
        state.items.splice(to, 0, state.items.splice(from, 1)[0]);
        dragged = null;
        save();
      });
      var tools = el("div", "basket-item-tools");
      tools.appendChild(handle);
      tools.appendChild(control("上移", "up", i, i === 0));
      tools.appendChild(control("下移", "down", i, i === n - 1));
      tools.appendChild(control("删除", "remove", i, false));
      li.appendChild(tools);
      list.appendChild(li);
      if (editing === item.id) { area.focus(); }
    });
    if (focusAfter) {
      var moved = list.querySelector('li[data-id="' + CSS.escape(focusAfter[0]) + '"] [data-move="' + focusAfter[1] + '"]');
      if (moved && moved.disabled) { moved = moved.parentNode.querySelector("button:not([disabled])"); }
      if (moved) { moved.focus(); }
      focusAfter = null;
    }
  }

  var statusTimer;
  function status(msg) {
    var s = page.querySelector(".basket-status");
    s.textContent = msg;
    clearTimeout(statusTimer);
    statusTimer = setTimeout(function () { s.textContent = ""; }, 4000);
  }

  // Export: Markdown, or plain text for WPS and Word (numbered, no markup).
  function exported(md) {
    var out = [];
    var t = state.talk;
    out.push(md ? "# " + (t.title || "警示教育讲义") : (t.title || "警示教育讲义"));
    var meta = [];
    if (t.speaker) { meta.push("主讲人：" + t.speaker); }
    if (t.date) { meta.push("日期：" + longDate(t.date)); }
    if (meta.length) { out.push("", meta.join("　")); }
    state.items.forEach(function (item, i) {
      out.push("", (md ? "## " : "") + (i + 1) + ". " + item.title, "");
      var lines = [];
      if (item.section) { lines.push("来源：" + item.section); }
      if (item.date) { lines.push("日期：" + item.date); }
      if (item.kind === "article") { lines.push("引用：" + item.cite); }
      lines.push("网址：" + (md ? "<" + item.url + ">" : readable(item.url)));
      lines.forEach(function (l) { out.push(md ? "- " + l : l); });
      if (item.kind === "article" && item.text) {
        out.push("", md ? "> " + item.text : "条文：" + item.text);
      }
      if (item.note) {
        out.push("", (md ? "**批注**：" : "批注：") + item.note.replace(/\n/g, md ? "  \n" : "\n"));
      }
    });
    return out.join("\n") + "\n";
  }
  function filename(ext) {
    var base = (state.talk.title || "素材篮").replace(/[\\/:*?"<>|]+/g, "_").slice(0, 60);
    return base + ext;
  }
  function download(name, body, type) {
    var url = URL.createObjectURL(new Blob([body], { type: type }));
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    status("已下载 " + name);
  }
  function copyText(body) {
    var done = function () { status("已复制到剪贴板"); };
    var manual = function () {
      // Plain-http intranets have no clipboard API: select a hidden textarea and copy.
      var area = el("textarea", "basket-scratch");
      area.value = body;
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      area.remove();
      if (ok) { done(); } else { status("复制失败，请改用下载"); }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(body).then(done, manual);
    } else {
      manual();
    }
  }
  function act(action) {
    switch (action) {
    case "print": window.print(); break;
    case "download-md": download(filename(".md"), exported(true), "text/markdown;charset=utf-8"); break;
    case "download-txt": download(filename(".txt"), "\ufeff" + exported(false).replace(/\n/g, "\r\n"), "text/plain;charset=utf-8"); break;
    case "copy-md": copyText(exported(true)); break;
    case "copy-txt": copyText(exported(false)); break;
    case "clear":
      if (state.items.length && window.confirm("清空素材篮中的全部 " + state.items.length + " 项材料？")) {
        state.items = [];
        save();
      }
      break;
    }
  }

  window.addEventListener("storage", function (e) {
    if (e.key === key) { state = load(); refresh(); }
  });
  refresh();
})();
