// 镜鉴 filter bar. Without this script each term of a section's filter bar links to the
// section's page of that term. With it, when the whole section is on this one page (no
// further pages), a click filters the list in place instead; a second click, or 显示全部,
// shows everything again.
(function () {
  "use strict";
  var bar = document.querySelector(".filter-bar");
  if (!bar || document.querySelector(".pager a[rel=next], .pager a[rel=prev]")) { return; }
  var items = document.querySelectorAll(".page-list li[data-terms]");
  var status = bar.querySelector(".filter-status");
  var active = null;
  function apply(key, link) {
    var shown = 0;
    items.forEach(function (li) {
      var keys = (li.getAttribute("data-terms") || "").split(" ");
      var on = !key || keys.indexOf(key.replace(/ /g, "\u00a0")) >= 0;
      li.hidden = !on;
      if (on) { shown++; }
    });
    bar.querySelectorAll("a[data-filter]").forEach(function (a) { a.removeAttribute("aria-current"); });
    if (key) {
      link.setAttribute("aria-current", "true");
      status.querySelector("span").textContent = "已筛选：" + link.firstChild.textContent.trim() + "，" + shown + " 篇";
      status.hidden = false;
    } else {
      status.hidden = true;
    }
    active = key;
  }
  bar.addEventListener("click", function (e) {
    var a = e.target.closest("a[data-filter]");
    if (a && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
      e.preventDefault();
      var key = a.getAttribute("data-filter");
      apply(active === key ? null : key, a);
    } else if (e.target.closest(".filter-clear")) {
      apply(null, null);
    }
  });
})();
