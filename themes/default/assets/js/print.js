// 镜鉴 print: a printed page says where it came from and when. The footer's print line
// (.print-meta, shown only in print) gets the page's full address and today's date just
// before printing; without this script it shows the address the site was built with.
(function () {
  "use strict";
  window.addEventListener("beforeprint", function () {
    var d = new Date();
    var here = location.href;
    try { here = decodeURI(here); } catch (e) { /* keep it encoded */ }
    document.querySelectorAll(".print-meta .print-url").forEach(function (el) { el.textContent = here; });
    document.querySelectorAll(".print-meta .print-date").forEach(function (el) {
      el.textContent = " · 打印于 " + d.getFullYear() + "年" + (d.getMonth() + 1) + "月" + d.getDate() + "日";
    });
  });
})();
