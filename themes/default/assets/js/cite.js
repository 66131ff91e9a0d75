// 镜鉴 copy a citation. Every article of a regulation (p.article) gets a "复制引用" button
// that copies 《标题》第X条（版本） and the article's address, for a handout or a slide.
// Progressive: without this script the page says how to cite it (.cite-how), and each
// article number is a link to the article that can be copied.
(function () {
  "use strict";
  var content = document.querySelector(".content[data-cite-title]");
  if (!content) { return; }
  var title = content.getAttribute("data-cite-title");
  var version = content.getAttribute("data-cite-version") || "";
  var page = location.href.replace(/#.*$/, "");

  function copy(text, done) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(text, done); });
      return;
    }
    fallback(text, done);
  }
  // Intranet sites are often served over plain http, where the clipboard API is missing.
  function fallback(text, done) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "cite-scratch";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); done(); } catch (e) { /* the text stays selected */ }
    document.body.removeChild(area);
  }

  content.querySelectorAll("p.article[id]").forEach(function (p) {
    var no = p.querySelector("a.article-no");
    if (!no) { return; }
    var label = no.textContent.trim();
    var button = document.createElement("button");
    button.type = "button";
    button.className = "cite-copy";
    button.textContent = "复制引用";
    var text = title + label + version + "\n" + page + "#" + encodeURIComponent(p.id);
    button.setAttribute("aria-label", "复制引用：" + title + label);
    button.addEventListener("click", function () {
      copy(text, function () {
        button.textContent = "已复制";
        setTimeout(function () { button.textContent = "复制引用"; }, 1500);
      });
    });
    p.appendChild(button);
  });
})();
