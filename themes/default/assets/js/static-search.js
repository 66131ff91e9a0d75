// 镜鉴 static search: searches the index `jingjian build` writes to _search/ (see
// indexer/static.go for the format) in the browser, for sites served as plain files
// (nginx, IIS) or opened from disk (file://), where there is no /api/search.
//
// window.jingjianSearch(query, {limit, filters, sort}) answers a Promise of the same shape
// as /api/search: {query, total, hits, facets, terms, expanded, notes}. Hits' url and
// page_url are site-relative like the server's ("/cases/某案/#第五条"; from file: they end in
// index.html); jingjianSearch.href(url) turns one into an address to link to.
//
// Every index file is a script calling jingjianSearch._load(name, length, text): raw
// DEFLATE of that length, two characters for every 13 bits (indexer.staticText), loaded by
// a <script> element: that works from file://, where browsers refuse fetch.
(function () {
  "use strict";
  if (window.jingjianSearch) { return; }

  var K1 = 1.2, B = 0.75;
  var TITLE_WEIGHT = 2;     // a term in the title counts as much as this many idf
  var TITLE_RUN = 1.5;      // a word of three pairs or more whole in the title: this many idf more per pair
  var SYNONYM_WEIGHT = 0.5; // a synonym's score against the word's own
  var OLD_VERSION = 0.7;    // a document no longer current (current false) is weighed down
  var REPEALED = 0.5;       // a repealed or lapsed text (status 已废止, 已失效) against one in force
  var OTHER_PLACE = 0.6;    // a local regulation of another place than the query names
  // Reranking of the first hits by their passages (indexer's defaultRanking and passage
  // constants).
  var RERANK = 10;          // hits reranked, at least the limit: their passages are fetched
  var PASSAGE = 2;          // the best passage's share of the score
  var CONTIG = 3;           // a long run of the query found verbatim
  var SHORT_QUERY = 0.25;   // the least share of passage evidence, for the shortest queries
  var ANSWER = 2;           // an answer type asked for, as this many of a passage's held terms (a word is about two pairs)
  var ANSWER_RANK = 1;      // and in the rerank, in the query's average pairs
  var PASSAGE_K1 = 1.2, PASSAGE_B = 0.5, PASSAGE_AVG = 140, CONTIG_MIN = 10;
  var ABBREV_WEIGHT = 2;    // a title a short form stands for, against the form in a title
  var LITERAL_WEIGHT = 0.3; // the pairs of a recognised short form, against a word's
  var SNIPPET = 60;         // characters a snippet shows
  var MAX_QUERY = 200;      // characters of a query used, as the server does
  var LOOSE_PAIRS = 4;      // a word of this many pairs or more may match in part (run)
  var LOOSE_SHARE = 0.1;    // the share of its pairs (at least 2) a document must hold then

  // root is the site's root (ending in /), from this script's own address: the asset is
  // ROOT/js/static-search.HASH.js. <meta name="jingjian-search" content="…/_search/">
  // overrides where the index is.
  var script = document.currentScript;
  var src = (script && script.src) || "";
  var root = src.replace(/[^\/]*\/[^\/]*$/, "");
  if (!root) { root = new URL("/", location.href).href; }
  var dir = root + "_search/";
  var metaTag = document.querySelector('meta[name="jingjian-search"]');
  if (metaTag && metaTag.content) { dir = new URL(metaTag.content.replace(/\/?$/, "/"), location.href).href; }
  var fromDisk = location.protocol === "file:";

  // ---- Loading -------------------------------------------------------------------------

  var files = {}; // name → {promise, resolve, reject, script, done}

  function slot(name) {
    var f = files[name];
    if (!f) {
      f = files[name] = {};
      f.promise = new Promise(function (res, rej) { f.resolve = res; f.reject = rej; });
    }
    return f;
  }

  // load returns a Promise of the inflated bytes (an ArrayBuffer) of one index file,
  // adding its <script> once. (Fetching the files over http and reading the call from
  // their text was slower in Chromium: 250 ms a query against 140 on the laws corpus.)
  function load(name) {
    var f = slot(name);
    if (!f.script && !f.done) {
      var s = document.createElement("script");
      s.src = dir + name + ".js";
      s.async = true;
      s.onerror = function () {
        if (f.done) { return; }
        delete files[name]; // a later query tries again
        s.remove();
        f.reject(new Error("无法加载搜索索引文件 " + name + ".js"));
      };
      s.onload = function () { s.remove(); };
      f.script = s;
      (document.head || document.documentElement).appendChild(s);
    }
    return f.promise;
  }

  // The alphabet of indexer.staticAlphabet, and each character's value.
  var ALPHABET = "!#$%&()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";
  var VALUE = new Int16Array(128);
  for (var a = 0; a < ALPHABET.length; a++) { VALUE[ALPHABET.charCodeAt(a)] = a; }

  // decode turns text back into its n bytes: each two characters 13 bits, low bits first.
  function decode(text, n) {
    var out = new Uint8Array(n), o = 0, acc = 0, bits = 0;
    for (var i = 0; i + 1 < text.length && o < n; i += 2) {
      acc |= (VALUE[text.charCodeAt(i)] + VALUE[text.charCodeAt(i + 1)] * 91) << bits;
      for (bits += 13; bits >= 8 && o < n; bits -= 8) { out[o++] = acc & 255; acc >>>= 8; }
    }
    return out;
  }

  function inflate(n, text) {
    if (typeof DecompressionStream === "undefined") {
      return Promise.reject(new Error("浏览器不支持解压缩（DecompressionStream），无法离线搜索"));
    }
    // Written to the stream directly: a Blob's stream cost a tenth of a query's time.
    var ds = new DecompressionStream("deflate-raw"), w = ds.writable.getWriter();
    w.write(decode(text, n)).catch(function () {});
    w.close().catch(function () {});
    return new Response(ds.readable).arrayBuffer();
  }

  var utf8 = new TextDecoder("utf-8");
  var encoder = new TextEncoder();

  function json(name) {
    return load(name).then(function (buf) { return JSON.parse(utf8.decode(buf)); });
  }

  // head gives head.js: the shard count, the synonyms and the stop words, all a query needs
  // to know which shards to load; meta gives meta.js with head's fields added.
  var headPromise = null, metaPromise = null;
  function version(x) {
    if (x.v !== 5) { throw new Error("搜索索引的版本（" + x.v + "）与页面脚本不符，请重新构建站点"); }
    return x;
  }
  function head() {
    if (!headPromise) {
      headPromise = json("head").then(function (h) {
        version(h);
        h.syn = {};
        Object.keys(h.synonyms || {}).forEach(function (k) { h.syn[k.toLowerCase()] = h.synonyms[k]; });
        return h;
      }, function (e) { headPromise = null; throw e; });
    }
    return headPromise;
  }
  function meta() {
    if (!metaPromise) {
      metaPromise = Promise.all([head(), json("meta")]).then(function (both) {
        var h = both[0], m = version(both[1]);
        m.shards = h.shards; m.syn = h.syn; m.stop = h.stop; m.answers = h.answers || [];
        m.base = basePath(m.base || "/");
        // URLs come as [folder, 1 (the title), 2 (the title and date) or the rest].
        m.docs.forEach(function (d) {
          var u = d[0], rest = u[1] === 1 ? d[1] + "/" : u[1] === 2 ? d[1] + "(" + d[3] + ")/" : u[1];
          d[0] = m.folders[u[0]] + rest;
        });
        return m;
      }, function (e) { metaPromise = null; throw e; });
    }
    return metaPromise;
  }

  function basePath(b) {
    var i = b.indexOf("://");
    if (i >= 0) { var j = b.indexOf("/", i + 3); b = j < 0 ? "/" : b.slice(j); }
    if (b.charAt(0) !== "/") { b = "/" + b; }
    return b.replace(/\/?$/, "/");
  }

  // A shard, parsed once (it needs meta: a mask follows only a document of several
  // blocks): term → [first, count] into its postings' documents, values and masks.
  var shards = {};
  function shard(m, n) {
    if (!shards[n]) {
      shards[n] = load("t/" + n).then(function (buf) {
        var b = new Uint8Array(buf), r = varint(b, 0), p = r[1] + r[0];
        var names = utf8.decode(b.subarray(r[1], p)).split("\n"), terms = new Map(), total = 0;
        for (var t = 0; t < names.length; t++) {
          var c = 0, mul = 1, x;
          do { x = b[p++]; c += (x & 0x7f) * mul; mul *= 128; } while (x & 0x80);
          terms.set(names[t], [total, c]);
          total += c;
        }
        var docs = new Uint32Array(total), vals = new Uint32Array(total), masks = new Float64Array(total);
        var i = 0, v, shift;
        terms.forEach(function (at) {
          for (var doc = 0, end = at[0] + at[1]; i < end; i++) {
            v = 0; shift = 0;
            do { x = b[p++]; v |= (x & 0x7f) << shift; shift += 7; } while (x & 0x80);
            doc += v; docs[i] = doc;
          }
        });
        for (i = 0; i < total; i++) {
          v = 0; shift = 0;
          do { x = b[p++]; v |= (x & 0x7f) << shift; shift += 7; } while (x & 0x80);
          vals[i] = v;
        }
        for (i = 0; i < total; i++) {
          if (m.docs[docs[i]][8] > 1) { r = varint(b, p); masks[i] = r[0]; p = r[1]; }
        }
        return { terms: terms, docs: docs, vals: vals, masks: masks, cache: new Map() };
      }, function (e) { delete shards[n]; throw e; });
    }
    return shards[n];
  }

  // varint reads an unsigned varint of up to 53 bits at p: [value, the next p].
  function varint(b, p) {
    var v = 0, mul = 1, c;
    do { c = b[p++]; v += (c & 0x7f) * mul; mul *= 128; } while (c & 0x80);
    return [v, p];
  }

  function fnv(term) {
    var h = 2166136261, bytes = encoder.encode(term);
    for (var i = 0; i < bytes.length; i++) { h = Math.imul(h ^ bytes[i], 16777619) >>> 0; }
    return h >>> 0;
  }

  // postings gives a term's documents: Map doc → tf*2 + inTitle, and its .masks: Map
  // doc → the blocks holding the term (bit k: block k), for documents of several blocks.
  function postings(m, term) {
    return shard(m, fnv(term) % m.shards).then(function (s) {
      var got = s.cache.get(term);
      if (got) { return got; }
      got = new Map();
      got.masks = new Map();
      var at = s.terms.get(term);
      if (at) {
        for (var i = at[0]; i < at[0] + at[1]; i++) {
          got.set(s.docs[i], s.vals[i]);
          if (s.masks[i]) { got.masks.set(s.docs[i], s.masks[i]); }
        }
      }
      s.cache.set(term, got);
      return got;
    });
  }

  // inBlock says whether bit k of a mask is set (masks hold up to 52 bits: no bit operators).
  function inBlock(mask, k) { return Math.floor(mask / Math.pow(2, k)) % 2 === 1; }

  var chunkFiles = {};
  function chunk(n) {
    if (!chunkFiles[n]) { chunkFiles[n] = json("c/" + n).catch(function (e) { delete chunkFiles[n]; throw e; }); }
    return chunkFiles[n];
  }

  // blockPassages gives the passages [[label, anchor, text], …] of blocks ks of document i.
  function blockPassages(m, i, ks) {
    var d = m.docs[i];
    return Promise.all(ks.map(function (k) { return chunk(d[7] + k); })).then(function (cs) {
      var out = [];
      cs.forEach(function (c) { c.forEach(function (e) { if (e[0] === i) { out = out.concat(e[1]); } }); });
      return out;
    });
  }

  // blocksHolding lists the blocks of document i holding every one of terms (all of a
  // one-block document's, if it holds them at all).
  function blocksHolding(m, post, i, terms) {
    var n = m.docs[i][8], out = [];
    if (n <= 1) { return terms.every(function (t) { return post.get(t).has(i); }) && n ? [0] : []; }
    for (var k = 0; k < n; k++) {
      if (terms.every(function (t) { var mk = post.get(t).masks.get(i); return mk !== undefined && inBlock(mk, k); })) { out.push(k); }
    }
    return out;
  }

  // bestBlock is the block of document i where the weighted terms (Map term → weight)
  // weigh most, the first of equals.
  function bestBlock(m, post, i, weights) {
    var n = m.docs[i][8], best = 0, bestW = -1;
    for (var k = 0; k < n; k++) {
      var w = 0;
      weights.forEach(function (wt, t) {
        var p = post.get(t);
        if (!p) { return; }
        if (n === 1 ? p.has(i) : p.masks.has(i) && inBlock(p.masks.get(i), k)) { w += wt; }
      });
      if (w > bestW) { best = k; bestW = w; }
    }
    return best;
  }

  // ---- Analysis (as indexer.staticTerms) ----------------------------------------------

  var HAN = /\p{Script=Han}/u;
  function analyse(text) {
    var out = [], han = [], word = "";
    function flushHan() {
      if (han.length === 1) { out.push(han[0]); }
      for (var i = 0; i + 1 < han.length; i++) { out.push(han[i] + han[i + 1]); }
      han = [];
    }
    function flushWord() { if (word) { out.push(word); word = ""; } }
    for (var ch of text) {
      if (HAN.test(ch)) { flushWord(); han.push(ch); }
      else if (/^[A-Za-z0-9]$/.test(ch)) { flushHan(); word += ch.toLowerCase(); }
      else { flushHan(); flushWord(); }
    }
    flushHan(); flushWord();
    return out;
  }
  // withoutStop cuts the stop words (meta's: 能不能, 怎么, 多少 …) out of a long word (a
  // question, a description): they make no pairs, as the server drops them after
  // segmenting. A short word stays whole, and so does one made of nothing else.
  function withoutStop(m, w) {
    if (!m.stop || !m.stop.length || Array.from(w).length <= LOOSE_PAIRS) { return w; }
    if (!m.stopRE) { m.stopRE = new RegExp(m.stop.join("|"), "g"); }
    var cut = w.replace(m.stopRE, " ");
    return hasWordChar(cut) ? cut : w;
  }
  function uniq(a) { return a.filter(function (x, i) { return a.indexOf(x) === i; }); }

  // findSynonyms returns the synonym table's terms occurring in text, as indexer's
  // Synonyms.Find: the longest at each place, without overlaps, numbers whole (12345 is not
  // found inside 13812345678).
  function findSynonyms(m, text) {
    if (m.synMax === undefined) {
      m.synMax = 0;
      Object.keys(m.syn).forEach(function (k) { m.synMax = Math.max(m.synMax, Array.from(k).length); });
    }
    var r = Array.from(text.toLowerCase()), out = [];
    var alnum = function (c) { return /^[0-9a-z]$/.test(c); }, digit = function (c) { return /^[0-9]$/.test(c); };
    var cuts = function (i, j) {
      return i > 0 && alnum(r[i - 1]) && alnum(r[i]) && (digit(r[i - 1]) || digit(r[i])) ||
        j < r.length && alnum(r[j - 1]) && alnum(r[j]) && (digit(r[j - 1]) || digit(r[j]));
    };
    for (var i = 0; i < r.length;) {
      var found = 0;
      for (var len = Math.min(m.synMax, r.length - i); len >= 2; len--) {
        if (cuts(i, i + len)) { continue; }
        var key = r.slice(i, i + len).join(""), also = m.syn[key];
        if (also) { out.push({ term: key, also: also }); found = len; break; }
      }
      i += found || 1;
    }
    return out;
  }

  // ---- Titles: short forms and navigation (as indexer/abbrev.go and indexer.navigation) --

  var TITLE_KINDS = ["法", "条例", "规定", "办法", "细则", "解释", "决定", "规则", "意见", "通知", "准则", "规范", "章程"];
  var TITLE_NOISE = ["中华人民共和国", "《", "》", "“", "”", "（试行）", "(试行)", "（草案）"];
  var TITLE_PREFIXES = ["最高人民法院", "最高人民检察院", "、", "国务院", "关于", "审理", "办理", "适用", "执行"];
  var ABBREV_START = 6; // how far into a title a short form's first character may stand
  var MAX_TITLES = 3;   // titles one short form may stand for

  // titleCore strips what short forms leave out of a title.
  function titleCore(title) {
    var c = title;
    TITLE_NOISE.forEach(function (x) { c = c.split(x).join(""); });
    c = c.trim();
    for (var trimmed = true; trimmed;) {
      trimmed = false;
      for (var i = 0; i < TITLE_PREFIXES.length; i++) {
        var p = TITLE_PREFIXES[i];
        if (c.indexOf(p) === 0 && c.length > p.length) { c = c.slice(p.length); trimmed = true; }
      }
    }
    return c;
  }

  // cores gives the documents' title cores, which meta.js holds (0: the title itself).
  function cores(m) {
    if (!m.cores) { m.cores = m.docs.map(function (d) { return d[11] === 0 ? d[1] : d[11]; }); }
    return m.cores;
  }

  // looksAbbreviated: 2 to 10 Chinese characters ending in a kind of document (个保法).
  function looksAbbreviated(w) {
    var c = Array.from(w);
    if (c.length < 2 || c.length > 10 || !c.every(function (x) { return HAN.test(x); })) { return false; }
    return TITLE_KINDS.some(function (k) { return w.slice(-k.length) === k && c.length > k.length; });
  }

  // abbreviationOf gives the length of a title core abbr shortens (its characters in
  // order, with a gap, the first near the start, the same kind of document), or -1.
  function abbreviationOf(abbr, core) {
    var a = abbr.join(""), kind = "";
    for (var k = 0; k < TITLE_KINDS.length; k++) { if (a.slice(-TITLE_KINDS[k].length) === TITLE_KINDS[k]) { kind = TITLE_KINDS[k]; break; } }
    if (!kind || core.slice(-kind.length) !== kind || core.indexOf(a) >= 0) { return -1; }
    var c = Array.from(core), i = 0;
    for (var pos = 0; pos < c.length; pos++) {
      if (i < abbr.length && c[pos] === abbr[i]) {
        if (i === 0 && pos >= ABBREV_START) { return -1; }
        i++;
      }
    }
    return i === abbr.length ? c.length : -1;
  }

  // rankTitles gives the documents of the titles match accepts (key ≥ 0), one list per
  // title (all its versions), the smallest key first, at most MAX_TITLES.
  function rankTitles(m, match) {
    var cs = cores(m), seen = new Set(), cands = [];
    m.docs.forEach(function (d, i) {
      if (seen.has(d[1])) { return; }
      var key = match(cs[i]);
      if (key >= 0) { seen.add(d[1]); cands.push({ title: d[1], key: key, i: cands.length }); }
    });
    cands.sort(function (a, b) { return a.key - b.key || a.i - b.i; });
    var out = cands.slice(0, MAX_TITLES).map(function (c) { return { title: c.title, docs: [] }; });
    m.docs.forEach(function (d, i) { out.forEach(function (o) { if (o.title === d[1]) { o.docs.push(i); } }); });
    return out.map(function (o) { return o.docs; });
  }

  function matchAbbreviation(m, w) {
    var a = Array.from(w);
    return rankTitles(m, function (core) { return abbreviationOf(a, core); });
  }

  // matchFullForm: the titles holding every part of a short title's full forms (the
  // synonym table's), shortest first; the first full form that is a title itself alone,
  // if there is one (exactFullForm).
  function matchFullForm(m, full) {
    var exact = exactFullForm(m, full);
    if (exact.length) { return [exact]; }
    var parts = uniq(full.map(titleCore).filter(function (c) { return Array.from(c).length >= 2; }));
    if (!parts.length) { return []; }
    return rankTitles(m, function (core) { return parts.every(function (p) { return core.indexOf(p) >= 0; }) ? Array.from(core).length : -1; });
  }

  // exactFullForm: the documents of the first full form (in the table's order) that is a
  // title itself, as indexer's exactFullForm (消法: 消费者权益保护法, not 消保法 with it).
  function exactFullForm(m, full) {
    var cs = cores(m);
    for (var f = 0; f < full.length; f++) {
      var c = titleCore(full[f]), ids = [];
      cs.forEach(function (x, i) { if (x === c) { ids.push(i); } });
      if (ids.length) { return ids; }
    }
    return [];
  }

  var NUMERALS = { "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "百": 100, "千": 1000 };

  // chineseNumber reads 二十二, 一百零五, 两千 (or digits, full-width too) as
  // site.ParseChineseNumber does, or gives -1 (一百五, 两十: not an article's number).
  function chineseNumber(s) {
    s = s.replace(/[０-９]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xfee0); });
    if (/^[0-9]+$/.test(s)) { return parseInt(s, 10); }
    var total = 0, digit = -1, liang = false, last = 10000, zero = false;
    for (var ch of s) {
      var v = NUMERALS[ch];
      if (v === undefined) { return -1; }
      if (v === 0) { if (digit >= 0 || zero || !total) { return -1; } zero = true; continue; }
      if (v < 10) { if (digit >= 0) { return -1; } digit = v; liang = ch === "两"; continue; }
      if (v >= last || liang && v === 10) { return -1; }
      if (digit < 0) { if (v !== 10) { return -1; } digit = 1; }
      if ((total > 0 && last !== v * 10) !== zero) { return -1; } // a unit skipped needs 零
      total += digit * v; last = v; digit = -1; liang = false; zero = false;
    }
    if (digit >= 0) {
      if (liang || (total > 0 && last !== 10) !== zero) { return -1; }
      total += digit;
    } else if (zero) {
      return -1;
    }
    return total;
  }

  // articleID writes an article's anchor as the pages do: 第二十二条, 第一百零五条之一.
  function articleID(n, sub) {
    function numeral(x) {
      var digits = "零一二三四五六七八九", out = "", started = false, zero = false;
      [[1000, "千"], [100, "百"], [10, "十"], [1, ""]].forEach(function (u) {
        var d = Math.floor(x / u[0]) % 10;
        if (!d) { zero = started; return; }
        if (zero) { out += "零"; zero = false; }
        if (!(u[0] === 10 && d === 1 && !started)) { out += digits[d]; }
        out += u[1];
        started = true;
      });
      return out;
    }
    return "第" + numeral(n) + "条" + (sub > 0 ? "之" + numeral(sub) : "");
  }

  // A title followed by an article number (监察法 第二十二条, 民法典第1077条, 监察法22条, with a
  // paragraph or item if given: 刑法第二十条第一款, and what people add after it: 是怎么规定的),
  // the article first (第十七条 某某条例), or a title and a bare number (民法典1077), as
  // indexer's navPattern, navFirstPattern and navBarePattern.
  var NAV = /^(.*?[^\s第])\s*第?\s*([0-9０-９]+|[零〇一二三四五六七八九十百千两]+)\s*条(?:之([一二三四五六七八九十]+))?(?:\s*第?\s*(?:[0-9０-９]+|[一二三四五六七八九十]+)\s*款)?(?:\s*第?\s*(?:[0-9０-９]+|[一二三四五六七八九十]+)\s*项)?(\s*[^\s\d０-９第款项].{0,19})?$/;
  var NAV_FIRST = /^第\s*([0-9０-９]+|[零〇一二三四五六七八九十百千两]+)\s*条(?:之([一二三四五六七八九十]+))?\s*(\S.*)$/;
  var NAV_BARE = /^(.*?[^\s\d０-９第])\s*第?\s*([0-9０-９]{1,4})$/;
  var MAX_BARE_ARTICLE = 1299; // a larger bare number is a year (公司法2023), as indexer's maxBareArticle

  // navArticle recognises a query naming one article: the title as typed and the article's
  // anchor, or null; navigation then finds that title's documents (every version).
  function navArticle(q) {
    if (q.phrases.length || !q.words.length || q.words.length > 3) { return null; }
    // The article first, else last (NAV would read 第十 as the title of 第十七条 某某条例).
    var text = q.words.join(" "), x = NAV_FIRST.exec(text), bare = false;
    if (x) {
      x = [x[0], x[3], x[1], x[2], ""]; // as NAV's: title, number, sub-article, tail
    } else if (!(x = NAV.exec(text))) {
      if (!(x = NAV_BARE.exec(text))) { return null; }
      x = [x[0], x[1], x[2], "", ""];
      bare = true;
    }
    var n = chineseNumber(x[2]), sub = x[3] ? chineseNumber(x[3]) : 0;
    if (n < 1 || n > 9999 || bare && n > MAX_BARE_ARTICLE) { return null; }
    return { name: x[1].trim(), anchor: articleID(n, sub), named: x[4] ? text.replace(/ /g, "") : "" };
  }

  // titleHolds: a title of the index holds text as typed (without 中华人民共和国, 《》), as
  // indexer's titleHolds.
  function titleHolds(m, text) {
    var clean = function (t) { TITLE_NOISE.forEach(function (x) { t = t.split(x).join(""); }); return t; };
    if (!m.plainTitles) { m.plainTitles = m.docs.map(function (d) { return clean(d[1]); }); }
    text = clean(text);
    return m.plainTitles.some(function (t) { return t.indexOf(text) >= 0; });
  }

  // navigation finds the documents of the title a navigational query names (as indexer's
  // navigation: a place typed apart, 北京 学前教育条例 第十六条; of several places' titles
  // those of the place named, and its own before a national one of the name); none when the
  // query with what follows the article is a title itself (刑法第九十三条第二款的解释).
  function navigation(m, article, placesNamed) {
    if (article.named && titleHolds(m, article.named)) { return null; }
    var core = titleCore(article.name), ids = titleIDs(m, core), versioned = false;
    if (!ids.length && core.indexOf(" ") >= 0) { ids = titleIDs(m, core.replace(/ /g, "")); }
    if (!ids.length) {
      // A version named by its year: 2017年行政复议法 第21条.
      var v = splitVersion(article.name.trim());
      if (v.year) { core = titleCore(v.rest); v = ofYear(m, titleIDs(m, core), v.year); ids = v.ids; versioned = v.versioned; }
    }
    if (!ids.length) { return null; }
    var of = places(m).of, cs = cores(m), here = [], elsewhere = false;
    if (placesNamed.length) {
      of.forEach(function (p, i) {
        var head = cs[i].split(" ")[0], inPlace = !!p && placesNamed.indexOf(p) >= 0;
        if (ids.indexOf(i) >= 0 && !inPlace) { elsewhere = true; }
        if (inPlace && (ids.indexOf(i) >= 0 || head.slice(-core.length) === core)) { here.push(i); }
      });
    }
    return { docs: elsewhere && here.length ? here : ids, anchor: article.anchor, terms: article.terms, versioned: versioned };
  }

  // A title with the year of one of its versions (2017年行政复议法, 行政复议法（2017）, 公司法
  // 2018), as indexer's versionPattern; splitVersion gives {rest, year} ("" for none).
  var VERSION = /^(?:((?:19|20)\d\d)\s*年?\s*(?:版|修订版|修正版|修订|修正)?\s*(\S.*?)|(.*?[^\s\d０-９])\s*(?:[（(]\s*((?:19|20)\d\d)\s*年?\s*(?:版|修订|修正)?\s*[)）]|((?:19|20)\d\d)\s*年?\s*(?:版|修订版|修正版|修订|修正)?))$/;
  function splitVersion(name) {
    var x = VERSION.exec(name);
    if (!x) { return { rest: name, year: "" }; }
    if (x[1]) { return { rest: x[2], year: x[1] }; }
    return { rest: x[3], year: x[4] || x[5] };
  }

  // ofYear keeps of a title's documents the versions of a year (their date's), all of them
  // when none is, as indexer's ofYear.
  function ofYear(m, ids, year) {
    var of = ids.filter(function (i) { return (m.docs[i][3] || "").indexOf(year) === 0; });
    return of.length ? { ids: of, versioned: true } : { ids: ids, versioned: false };
  }

  // unbracket: a title without its brackets, as people type it (indexer's unbracket).
  function unbracket(s) { return s.replace(/[（）()]/g, ""); }

  // titled: the documents (every version) whose title the query is, as typed, brackets or
  // not (保险法 before the interpretations naming it; 刑法修正案十一), as indexer's titled;
  // with a year (2018年公司法) the version of that year, {ids, versioned}.
  function titled(m, q) {
    if (!q.words.length || q.phrases.length) { return { ids: [], versioned: false }; }
    if (!m.bares) { m.bares = cores(m).map(unbracket); }
    var of = function (joined, spaced) {
      var ids = [], bj = unbracket(joined), bs = unbracket(spaced);
      cores(m).forEach(function (c, i) { if (c === joined || c === spaced || m.bares[i] === bj || m.bares[i] === bs) { ids.push(i); } });
      return ids;
    };
    var text = q.words.join(" "), ids = of(titleCore(q.words.join("")), titleCore(text));
    if (ids.length) { return { ids: ids, versioned: false }; }
    var v = splitVersion(text);
    if (v.year && (ids = of(titleCore(v.rest.replace(/ /g, "")), titleCore(v.rest))).length) { return ofYear(m, ids, v.year); }
    return { ids: [], versioned: false };
  }

  // titleIDs: the documents of a title as a navigational query names it (indexer's titleIDs).
  function titleIDs(m, core) {
    var cs = cores(m), ids = [];
    cs.forEach(function (c, i) { if (c === core || c.indexOf(core + " ") === 0) { ids.push(i); } });
    if (!ids.length && Array.from(core).length >= 3) {
      // Without its place or issuer: 监察工作条例 for 青川市监察工作条例.
      cs.forEach(function (c, i) { var head = c.split(" ")[0]; if (head.slice(-core.length) === core) { ids.push(i); } });
    }
    var full = m.syn[core.toLowerCase()] || [];
    // A full form the table names outright before one worked out (消法: not 消防法).
    if (!ids.length) { ids = exactFullForm(m, full); }
    if (!ids.length) { ids = matchAbbreviation(m, core)[0] || []; }
    if (!ids.length && full.length) { ids = matchFullForm(m, full)[0] || []; }
    return ids;
  }

  // places gives each document's place, the one its title opens with (重庆市, 浙江省,
  // 汕头经济特区; full name, or ""), the short names of all places (重庆 → 重庆市) and the
  // province of a place below one (广州市 → 广东省), from meta.js (indexer.titlePlace,
  // indexer.placeRegions).
  function places(m) {
    if (!m.placeIndex) {
      m.placeIndex = { of: m.docs.map(function (d) { return d[10] ? m.places[d[10] - 1][0] : ""; }), short: new Map(), region: new Map() };
      m.places.forEach(function (p) { m.placeIndex.short.set(p[1], p[0]); if (p[2]) { m.placeIndex.region.set(p[0], p[2]); } });
    }
    return m.placeIndex;
  }

  // queryPlaces: the places of the titles that a query names (在重庆, 杭州市), and the
  // provinces they are in (广州 → 广州市, 广东省: indexer.placeRegions).
  function queryPlaces(m, q) {
    var text = q.words.concat(q.phrases).join(" "), out = [], pi = places(m);
    pi.short.forEach(function (full, short) { if (text.indexOf(short) >= 0) { out.push(full); } });
    out.slice().forEach(function (p) {
      var r = pi.region.get(p);
      if (r && out.indexOf(r) < 0) { out.push(r); }
    });
    return out;
  }

  // ---- Query language (as indexer.ParseQuery) -------------------------------------------

  var QUOTES = "\"“”「」";
  function isSpace(c) { return /\s/.test(c) || c === "\u3000"; }
  function hasWordChar(s) { return /[\p{L}\p{N}]/u.test(s); }

  function parse(s) {
    var q = { words: [], phrases: [], exclude: [], filters: [], sort: "", notes: [] };
    var r = Array.from(s);
    if (r.length > MAX_QUERY) { r = r.slice(0, MAX_QUERY); q.notes.push("查询过长，只使用了前 200 个字"); }
    function closing(i) { for (var j = i + 1; j < r.length; j++) { if (QUOTES.indexOf(r[j]) >= 0) { return j; } } return -1; }
    for (var i = 0; i < r.length;) {
      var c = r[i];
      if (isSpace(c)) { i++; continue; }
      if (QUOTES.indexOf(c) >= 0) {
        var end = closing(i);
        if (end < 0) { q.notes.push("引号没有配对，已按普通词语搜索"); i++; continue; }
        var p = r.slice(i + 1, end).join("").trim();
        if (p) { q.phrases.push(p); }
        i = end + 1;
        continue;
      }
      var j = i;
      while (j < r.length && !isSpace(r[j]) && QUOTES.indexOf(r[j]) < 0) { j++; }
      var tok = r.slice(i, j).join("");
      if ((tok === "-" || tok === "－") && j < r.length && QUOTES.indexOf(r[j]) >= 0) {
        var e2 = closing(j);
        if (e2 > j) {
          var ex = r.slice(j + 1, e2).join("").trim();
          if (ex) { q.exclude.push(ex); }
          i = e2 + 1;
          continue;
        }
      }
      word(q, tok);
      i = j;
    }
    return q;
  }

  function word(q, tok) {
    if (!tok) { return; }
    if (/^[-－]/.test(tok)) {
      var rest = tok.replace(/^[-－]+/, "");
      if (rest && hasWordChar(rest)) { q.exclude.push(rest); }
      return;
    }
    var m = /^([^:：]*)[:：](.*)$/.exec(tok);
    if (m && m[1] && m[2] && m[2].indexOf("//") !== 0) {
      var k = m[1].toLowerCase(), v = m[2];
      if (k === "sort" || k === "排序") {
        if (/^(date|日期|时间|新)$/i.test(v)) { q.sort = "date"; } else { q.notes.push("排序只支持 sort:date（按日期）"); }
        return;
      }
      q.filters.push([m[1], v]);
      return;
    }
    if (hasWordChar(tok)) { q.words.push(tok); }
  }

  // ---- Search ---------------------------------------------------------------------------

  function search(query, opts) {
    opts = opts || {};
    var limit = opts.limit == null ? 10 : Math.max(0, Math.min(100, opts.limit | 0));
    query = String(query == null ? "" : query);
    // The query's shards start loading as soon as head.js is there, beside meta.js.
    head().then(function (h) {
      queryTerms(h, parse(query), { terms: [], expanded: [] }).wanted.forEach(function (t) { load("t/" + fnv(t) % h.shards); });
    }).catch(function () { /* meta() reports it */ });
    return meta().then(function (m) {
      var q = parse(query);
      if (opts.sort) { q.sort = opts.sort; }
      var f = opts.filters || {};
      Object.keys(f).forEach(function (k) { [].concat(f[k]).forEach(function (v) { q.filters.push([k, String(v)]); }); });
      var res = { query: query, total: 0, hits: [], facets: {}, terms: [], expanded: [], notes: q.notes };
      if (!q.words.length && !q.phrases.length && !q.filters.length && !q.exclude.length) {
        res.notes.push("请输入要搜索的词语，例如：三重一大、低保 优亲厚友、\"集体研究决定\"");
        return res;
      }
      return run(m, q, res, limit).then(function (out) {
        if (out.total === 0 && q.phrases.length) {
          // Quoted words people remember loosely: search them as words rather than nothing.
          res.notes.push("没有找到与引号内文字完全一致的内容，已改为普通搜索");
          q.words = q.words.concat(q.phrases); q.phrases = [];
          res.terms = []; res.expanded = [];
          return run(m, q, res, limit);
        }
        return out;
      });
    });
  }

  // queryTerms makes the groups of a parsed query from what head.js holds (the synonyms and
  // stop words; h may be meta, which has them too): each group a word or phrase of the
  // query, its variants (the word itself, then its synonyms), each a list of terms every
  // one of which a document must hold; extra groups for synonyms found inside a word; the
  // terms of exclusions; the article a navigational query names; and every term wanted.
  function queryTerms(h, q, res) {
    var groups = [], extra = [];
    q.words.concat(q.phrases).forEach(function (w, i) {
      var terms = uniq(analyse(i < q.words.length ? withoutStop(h, w) : w));
      if (!terms.length) { return; }
      var g = { text: w, phrase: i >= q.words.length, variants: [{ terms: terms, weight: 1 }], titles: [] };
      var also = g.phrase ? null : h.syn[w.toLowerCase()];
      g.also = also;
      var variants = function (list) {
        var out = [];
        list.forEach(function (s) {
          var t = uniq(analyse(s));
          if (t.length) { out.push({ terms: t, weight: SYNONYM_WEIGHT, text: s }); }
        });
        return out;
      };
      if (also && also.length) {
        // The whole word has synonyms: they are other ways to match it.
        g.variants = g.variants.concat(variants(also));
        res.expanded.push({ term: w, also: also.slice() });
      } else if (!g.phrase) {
        // Synonyms of words inside it (遗体捐献 in a question): groups of their own that
        // add to a document's score, and match for the word in a document holding too
        // little of it (包薪制 for 月薪是打包价…), as the server's expansions do.
        findSynonyms(h, w).forEach(function (e) {
          var vs = variants(e.also);
          if (vs.length) { extra.push({ text: e.term, phrase: false, optional: true, variants: vs, titles: [] }); }
          res.expanded.push({ term: e.term, also: e.also.slice() });
        });
      }
      terms.forEach(function (t) { if (res.terms.indexOf(t) < 0) { res.terms.push(t); } });
      groups.push(g);
    });
    var out = { groups: groups.concat(extra), required: groups.length, wanted: [] };
    out.excluded = q.exclude.map(function (w) { return uniq(analyse(w)); }).filter(function (t) { return t.length; });
    out.groups.forEach(function (g) { g.variants.forEach(function (v) { out.wanted = out.wanted.concat(v.terms); }); });
    out.excluded.forEach(function (t) { out.wanted = out.wanted.concat(t); });
    out.article = navArticle(q);
    if (out.article) {
      out.article.terms = uniq(analyse(out.article.anchor));
      out.wanted = out.wanted.concat(out.article.terms);
    }
    out.wanted = uniq(out.wanted);
    return out;
  }

  // run finds, ranks and describes the documents of a parsed query.
  function run(m, q, res, limit) {
    var n = m.docs.length;
    var qt = queryTerms(m, q, res), groups = qt.groups, required = qt.required, excluded = qt.excluded, wanted = qt.wanted;
    var pinned = [];
    // A short form of a title (个保法, 行诉法) stands for the titles it abbreviates, the
    // synonym table's full form first; its literal pairs (保法) mostly find other laws, so
    // they count less. One short title alone puts its likeliest title first. (Not for two
    // characters, 方法, 做法 being words, unless the table names its title: 消法.)
    groups.slice(0, required).forEach(function (g) {
      var w = g.text;
      if (g.phrase || !looksAbbreviated(w)) { return; }
      var known = g.also ? matchFullForm(m, g.also.filter(function (a) { return a !== w; })) : [];
      g.titles = known.concat(matchAbbreviation(m, w)).slice(0, MAX_TITLES);
      if (g.titles.length) {
        g.variants[0].weight = LITERAL_WEIGHT;
        if (q.words.length === 1 && !q.phrases.length && (Array.from(w).length >= 3 || known.length) && cores(m).indexOf(w) < 0) { pinned = g.titles[0]; }
      }
    });
    // A title and an article number (监察法 第二十二条): that article of that title first,
    // found in the blocks holding its label's pairs.
    var nav = qt.article ? navigation(m, qt.article, queryPlaces(m, q)) : null;
    var versioned = false; // a version named by its year comes first, not the one in force
    if (nav) {
      pinned = pinned.concat(nav.docs);
      versioned = nav.versioned;
    } else {
      var t = titled(m, q);
      pinned = pinned.concat(t.ids);
      versioned = t.versioned;
    }

    // Filters: facet label (or value's facet) → allowed value indexes.
    var allow = [];
    for (var fi = 0; fi < q.filters.length; fi++) {
      var key = q.filters[fi][0].toLowerCase(), val = q.filters[fi][1];
      key = { section: "栏目", year: "年份" }[key] || key;
      var facet = m.facets.findIndex(function (x) { return x.label.toLowerCase() === key; });
      if (facet < 0) {
        res.notes.push("没有“" + q.filters[fi][0] + "”这个字段，可用：" + m.facets.map(function (x) { return x.label; }).join("、"));
        continue;
      }
      allow.push([facet, m.facets[facet].values.indexOf(val)]);
    }

    return Promise.all(wanted.map(function (t) { return postings(m, t); })).then(function (lists) {
      var post = new Map();
      wanted.forEach(function (t, i) { post.set(t, lists[i]); });
      var idf = function (t) { var df = post.get(t).size; return Math.log(1 + (n - df + 0.5) / (df + 0.5)); };
      var norm = K1 * B / (m.avglen || 1);
      // score is a term's BM25 in a document, from its posting's value (tf×2 + in title).
      var score = function (w, val, doc) {
        var tf = val >> 1, s = 0;
        if (tf) { s = tf * (K1 + 1) / (tf + K1 * (1 - B) + norm * m.docs[doc][6]); }
        if (val & 1) { s += TITLE_WEIGHT; }
        return w * s;
      };
      var holds = function (terms, doc) { return terms.every(function (t) { return post.get(t).has(doc); }); };
      // A long word (a question, a description typed without spaces: four pairs or more)
      // need not be in a document whole: one holding LOOSE_SHARE of its pairs (at least
      // two) matches, scored by the pairs it holds times their share, as the server's bag
      // of pairs does (shares of 0.5, 0.25, 0.15 and 0.1 measured on both judged splits:
      // BENCHMARKS.md §11). A short word and a phrase must be held whole.
      var loose = function (g, v) { return !g.phrase && v.terms.length >= LOOSE_PAIRS; };

      // Scores are summed along the postings into arrays over all documents (a Map
      // lookup per candidate and term cost most of a query's own time): per variant the
      // terms held and their BM25, per group its best variant, over groups the total and
      // how many groups matched. A phrase's group must match.
      var total = new Float64Array(n), matched = new Uint16Array(n), touched = [], isTouched = new Uint8Array(n);
      var phraseGroups = 0;
      var held = new Uint16Array(n), sum = new Float64Array(n), best = new Float64Array(n), isHit = new Uint8Array(n);
      var inTitle = new Uint16Array(n), viaSynonym = new Uint8Array(n);
      groups.forEach(function (g) {
        var inGroup = [];
        g.variants.forEach(function (v) {
          var docs = [], runWeight = 0;
          v.terms.forEach(function (t) {
            var w = idf(t);
            runWeight += w * TITLE_RUN;
            post.get(t).forEach(function (val, d) {
              if (!held[d]) { docs.push(d); }
              held[d]++;
              sum[d] += score(w, val, d);
              if (val & 1) { inTitle[d]++; }
            });
          });
          var lo = loose(g, v), need = lo ? Math.max(2, Math.ceil(v.terms.length * LOOSE_SHARE)) : v.terms.length;
          // A word of three pairs or more with every pair in the title, as the server's
          // phrase on the title's bigrams (which keep no positions either) rewards it.
          var run = v.terms.length >= 3 ? runWeight : 0;
          for (var i = 0; i < docs.length; i++) {
            var d = docs[i];
            if (held[d] >= need) {
              var sc = (sum[d] * (lo ? held[d] / v.terms.length : 1) + (inTitle[d] === v.terms.length ? run : 0)) * v.weight;
              if (!isHit[d]) { isHit[d] = 1; best[d] = sc; inGroup.push(d); } else if (sc > best[d]) { best[d] = sc; }
            }
            held[d] = 0; sum[d] = 0; inTitle[d] = 0;
          }
        });
        // The titles a short form stands for match it as a word found in the title would,
        // the likeliest most.
        var bonus = 0;
        g.variants[0].terms.forEach(function (t) { bonus += idf(t) * TITLE_WEIGHT; });
        g.titles.forEach(function (docs, rank) {
          docs.forEach(function (d) {
            var sc = ABBREV_WEIGHT * bonus / Math.pow(2, rank);
            if (!isHit[d]) { isHit[d] = 1; best[d] = sc; inGroup.push(d); } else if (sc > best[d]) { best[d] = sc; }
          });
        });
        if (g.phrase) { phraseGroups++; }
        for (var i = 0; i < inGroup.length; i++) {
          var d = inGroup[i];
          if (!isTouched[d]) { touched.push(d); isTouched[d] = 1; }
          if (!g.optional) { matched[d] += g.phrase ? 1 + 256 : 1; } else { viaSynonym[d] = 1; } // phrases counted apart, above 256
          total[d] += best[d];
          isHit[d] = 0; best[d] = 0;
        }
      });

      // Candidates: documents matching some group (and every phrase), or every document
      // when the query has only filters and exclusions.
      pinned.forEach(function (d) {
        if (!isTouched[d]) { touched.push(d); isTouched[d] = 1; }
        if (!matched[d]) { matched[d] = 1; }
      });
      var cands = groups.length ? touched : m.docs.map(function (_, i) { return i; });
      var wantPlaces = queryPlaces(m, q), placeOf = places(m).of;
      if (nav) {
        // Of a code split in files (民法典 总则, 合同编 …) the parts holding the article.
        var holding = nav.docs.filter(function (d) { return blocksHolding(m, post, d, nav.terms).length > 0; });
        if (holding.length) { pinned = holding; }
      }
      var scored = [];
      cands.forEach(function (d) {
        // A synonym found inside a word (包薪制 in 月薪是打包价) matches for it, as the
        // server's expansions do: they are clauses of its disjunction.
        var doc = m.docs[d], fv = doc[9], got = Math.max(matched[d] & 255, viaSynonym[d]);
        if (groups.length && (!got || matched[d] >> 8 < phraseGroups)) { return; }
        for (var a = 0; a < allow.length; a++) {
          var ok = false;
          for (var k = 0; k < fv.length; k += 2) { if (fv[k] === allow[a][0] && fv[k + 1] === allow[a][1]) { ok = true; break; } }
          if (!ok) { return; }
        }
        for (var e = 0; e < excluded.length; e++) { if (holds(excluded[e], d)) { return; } }
        var sc = groups.length ? total[d] * got / required : 0, factor = 1;
        if (doc[5] === false) { factor *= OLD_VERSION; }
        if (doc[4] === "已废止" || doc[4] === "已失效") { factor *= REPEALED; }
        var place = placeOf[d];
        if (place && wantPlaces.length && wantPlaces.indexOf(place) < 0) { factor *= OTHER_PLACE; }
        scored.push({ doc: d, score: sc * factor, raw: sc, factor: factor });
      });
      var phrases = groups.filter(function (g) { return g.phrase; }).map(function (g) { return { text: g.text.toLowerCase(), terms: g.variants[0].terms }; });
      return (phrases.length ? verify(m, post, scored, phrases) : Promise.resolve(scored)).then(function (list) {
        sortScored(m, list, q.sort);
        arrange(m, list, q.sort, pinned, versioned);
        res.total = list.length;
        res.facets = facets(m, list);
        // What to look for in the hits' passages, each with its weight: a phrase whole
        // (worth its terms), a word's terms, a synonym's at half.
        var look = new Map();
        var add = function (t, w) { if (t && !(look.get(t) >= w)) { look.set(t, w); } };
        groups.forEach(function (g) {
          if (g.phrase) { add(g.text.toLowerCase(), g.variants[0].terms.length); return; }
          g.variants.forEach(function (v) {
            if (v.text) { add(v.text.toLowerCase(), v.weight); } else { v.terms.forEach(function (t) { add(t, v.weight); }); }
          });
        });
        // What passages are scored by: the pairs of what was typed, each by its rarity,
        // and each synonym whole (its pairs one by one would outweigh the word it stands for).
        var units = new Map();
        groups.forEach(function (g) {
          g.variants.forEach(function (v) {
            if (v.text) {
              var w = 0;
              v.terms.forEach(function (t) { w = Math.max(w, idf(t)); });
              units.set(v.text.toLowerCase(), Math.max(units.get(v.text.toLowerCase()) || 0, w * v.weight));
            } else {
              v.terms.forEach(function (t) { units.set(t, Math.max(units.get(t) || 0, idf(t) * v.weight)); });
            }
          });
        });
        var named = groups.map(function (g) { return g.text.toLowerCase(); });
        var asked = askedTypes(m, q.words.join(""));
        // Which block of a long document to fetch for its passages: where the query's
        // terms weigh most, each by its rarity.
        var weights = new Map();
        groups.forEach(function (g) {
          g.variants.forEach(function (v) { v.terms.forEach(function (t) { weights.set(t, Math.max(weights.get(t) || 0, idf(t) * v.weight)); }); });
        });
        var passages = function (c) {
          if (nav && pinned.indexOf(c.doc) >= 0) { c.nav = nav; } // hit links it at the article
          var blocks = [bestBlock(m, post, c.doc, weights)];
          if (c.nav) { blocks = uniq(blocksHolding(m, post, c.doc, nav.terms).slice(0, 4).concat(blocks)); }
          return m.docs[c.doc][8] ? blockPassages(m, c.doc, blocks) : Promise.resolve([]);
        };
        // The first hits are reranked by the evidence of their best passages, as the
        // server does: the passages are those the hits show.
        var head = q.sort === "date" || !groups.length ? [] : list.slice(0, Math.max(limit, RERANK));
        return Promise.all(head.map(passages)).then(function (pss) {
          head.forEach(function (c, i) { c.ps = pss[i]; });
          if (head.length) {
            rerank(m, head, units, runsOf(q), asked);
            list = head.concat(list.slice(head.length));
            arrange(m, list, q.sort, pinned, versioned);
          }
          var top = list.slice(0, limit);
          return Promise.all(top.map(function (c) { return c.ps ? c.ps : passages(c); })).then(function (pss) {
            res.hits = top.map(function (c, i) { return hit(m, c, pss[i], look, named, asked); });
            return res;
          });
        });
      });
    });
  }

  // askedTypes: the units of each answer type the typed text asks for (多长时间 → 小时, 日,
  // 个月 …: indexer.answerTypes).
  function askedTypes(m, text) {
    return m.answers.filter(function (a) { return a[0].some(function (w) { return text.indexOf(w) >= 0; }); }).map(function (a) { return a[1]; });
  }

  // answers counts the numbers of an answer type in a lower-cased text: a unit after a
  // numeral (十二小时, 三十日, 一千元; 个 between them, 两个月), not a date (二〇二〇年一月一日,
  // 2020年) — as indexer's docInfo.answers.
  var NUMERAL = /[0-9０-９零〇一二两三四五六七八九十百千万亿半几数]/;
  function answers(low, units) { return answerSpans(low, units).length; }

  // answerSpans: where those numbers start and end ([start, end] pairs), for marking them.
  function answerSpans(low, units) {
    var out = [];
    units.forEach(function (unit) {
      for (var at = low.indexOf(unit); at >= 0; at = low.indexOf(unit, at + unit.length)) {
        var start = at;
        if (low[start - 1] === "个") { start--; }
        var i = start;
        while (i > 0 && NUMERAL.test(low[i - 1])) { i--; }
        if (i < start && !isDate(low, i, start, at + unit.length, unit)) { out.push([i, at + unit.length]); }
      }
    });
    return out;
  }

  function isDate(low, from, to, end, unit) {
    var next = low[end] || "";
    if (unit === "年") { return to - from === 4 || NUMERAL.test(next) && next !== "半"; }
    if (unit === "月") { return NUMERAL.test(next) && next !== "半" || low[from - 1] === "年"; }
    if (unit === "日") { return low[from - 1] === "月"; }
    return false;
  }

  // runsOf gives the pieces of Chinese typed, for contiguity: each word of three
  // characters or more, and the words together.
  function runsOf(q) {
    var han = function (w) { var c = Array.from(w), n = c.filter(function (x) { return HAN.test(x); }).length; return n * 2 > c.length; };
    var runs = q.words.filter(function (w) { return Array.from(w.trim()).length >= 3 && han(w); });
    if (q.words.length > 1 && han(q.words.join(""))) { runs.push(q.words.join("")); }
    return runs;
  }

  // rerank orders the first hits by their score relative to the best one's plus the
  // evidence of their passages: the best passage's BM25 over the query's units (text →
  // weight; the title counts as a passage, and its units in every passage) against a
  // passage holding every term once, and a long run of the query found verbatim
  // (indexer.passageEvidence and indexer.rerank, with their weights).
  function rerank(m, head, units, runs, asked) {
    var terms = Array.from(units, function (e) { return { text: e[0], weight: e[1] }; }), total = 0;
    terms.forEach(function (t) { total += t.weight; });
    // An answer type asked for weighs ANSWER_RANK times the average unit, outside the total.
    var mean = terms.length ? total / terms.length : 0;
    asked.forEach(function (units) { terms.push({ units: units, weight: ANSWER_RANK * mean }); });
    var longest = 0;
    runs.forEach(function (r) { longest = Math.max(longest, Array.from(r).length); });
    var share = Math.min(1, Math.max(SHORT_QUERY, longest / 12));
    var top = 0;
    head.forEach(function (c) { top = Math.max(top, c.raw); });
    var bm25 = function (length, f) {
      var norm = PASSAGE_K1 * (1 - PASSAGE_B + PASSAGE_B * length / PASSAGE_AVG), sc = 0;
      terms.forEach(function (t, k) { var n = f(k); if (n > 0) { sc += t.weight * n * (PASSAGE_K1 + 1) / (n + norm); } });
      return sc;
    };
    head.forEach(function (c) {
      var title = m.docs[c.doc][1].toLowerCase();
      var inTitle = terms.map(function (t) { return t.units ? 0 : title.indexOf(t.text) >= 0 ? 1 : 0; });
      var best = bm25(Array.from(title).length, function (k) { return inTitle[k]; }), scored = [];
      c.ps.forEach(function (p) {
        var low = p[2].toLowerCase();
        var tf = terms.map(function (t) {
          if (t.units) { return answers(low, t.units); }
          var n = 0;
          for (var at = low.indexOf(t.text); at >= 0; at = low.indexOf(t.text, at + t.text.length)) { n++; }
          return n;
        });
        var sc = bm25(p[2].length, function (k) { return tf[k] + inTitle[k]; });
        scored.push({ low: low, score: sc });
      });
      scored.sort(function (a, b) { return b.score - a.score; });
      if (scored.length) { best = Math.max(best, scored[0].score); }
      var final = (top ? c.raw / top : 0) + (total ? PASSAGE * share * Math.min(best / total, 1.5) : 0);
      final += CONTIG * contiguity(title, scored.slice(0, 3).map(function (x) { return x.low; }), runs);
      c.score = final * c.factor;
    });
    head.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
  }

  // contiguity is the longest run of a typed piece of Chinese (CONTIG_MIN characters or
  // more, and three quarters of the piece) found verbatim in the title or the best
  // passages, as a share of the piece, squared.
  function contiguity(title, texts, runs) {
    var share = 0, places = [title].concat(texts);
    runs.forEach(function (run) {
      var r = Array.from(run.toLowerCase());
      if (r.length < CONTIG_MIN) { return; }
      var longest = 0;
      places.forEach(function (p) {
        for (var i = 0; i + Math.max(longest + 1, CONTIG_MIN) <= r.length; i++) {
          var n = Math.max(longest + 1, CONTIG_MIN);
          if (p.indexOf(r.slice(i, i + n).join("")) < 0) { continue; }
          while (i + n < r.length && p.indexOf(r.slice(i, i + n + 1).join("")) >= 0) { n++; }
          longest = n;
        }
      });
      if (longest >= CONTIG_MIN && 4 * longest >= 3 * r.length) { share = Math.max(share, (longest / r.length) * (longest / r.length)); }
    });
    return share;
  }

  // verify keeps the candidates whose title or passages hold every phrase: a phrase is
  // looked for only in the blocks holding all its terms, and needs no text at all where
  // no block does.
  function verify(m, post, list, phrases) {
    return Promise.all(list.map(function (c) {
      var title = m.docs[c.doc][1].toLowerCase();
      var left = phrases.filter(function (p) { return title.indexOf(p.text) < 0; });
      if (!left.length) { return true; }
      var blocks = left.map(function (p) { return blocksHolding(m, post, c.doc, p.terms); });
      if (blocks.some(function (b) { return !b.length; })) { return false; }
      var all = uniq([].concat.apply([], blocks));
      return blockPassages(m, c.doc, all).then(function (ps) {
        var text = ps.map(function (p) { return p[2]; }).join("\n").toLowerCase();
        return left.every(function (p) { return text.indexOf(p.text) >= 0; });
      });
    })).then(function (ok) { return list.filter(function (_, i) { return ok[i]; }); });
  }

  // sortScored sorts by score (or date, newest first; by date too when only filters
  // were given: newest first reads best).
  function sortScored(m, list, sort) {
    var byDate = function (a, b) { var da = m.docs[a.doc][3], db = m.docs[b.doc][3]; return da < db ? 1 : da > db ? -1 : 0; };
    list.sort(function (a, b) { return (sort === "date" ? byDate(a, b) : 0) || b.score - a.score || a.doc - b.doc; });
    if (!list.some(function (c) { return c.score > 0; }) && sort !== "date") {
      list.sort(function (a, b) { return byDate(a, b) || a.doc - b.doc; });
    }
  }

  // arrange puts the pinned documents first (the title a short form or a navigational
  // query names), then a document's current version before its older ones with the same
  // title, in its best-ranked version's place, as the server does — unless the query named
  // a version by its year.
  function arrange(m, list, sort, pinned, versioned) {
    if (sort === "date") { return; }
    if (pinned.length) {
      var pin = new Set(pinned);
      var front = list.filter(function (c) { return pin.has(c.doc); });
      if (front.length) { list.splice.apply(list, [0, list.length].concat(front, list.filter(function (c) { return !pin.has(c.doc); }))); }
    }
    if (versioned) { return; }
    var first = new Map();
    for (var i = 0; i < list.length; i++) {
      var t = m.docs[list[i].doc][1], j = first.get(t);
      if (j === undefined) { first.set(t, i); continue; }
      if (m.docs[list[i].doc][5] && !m.docs[list[j].doc][5]) {
        var cur = list.splice(i, 1)[0];
        list.splice(j, 0, cur);
      }
    }
  }

  // facets counts the values of every field over all matching documents.
  function facets(m, list) {
    var counts = m.facets.map(function () { return new Map(); });
    list.forEach(function (c) {
      var fv = m.docs[c.doc][9], seen = new Set();
      for (var k = 0; k < fv.length; k += 2) {
        var key = fv[k] + ":" + fv[k + 1];
        if (seen.has(key) || !counts[fv[k]]) { continue; }
        seen.add(key);
        counts[fv[k]].set(fv[k + 1], (counts[fv[k]].get(fv[k + 1]) || 0) + 1);
      }
    });
    var out = {};
    m.facets.forEach(function (f, i) {
      var vals = Array.from(counts[i], function (e) { return { value: f.values[e[0]], count: e[1] }; });
      if (!vals.length) { return; }
      if (f.label === "年份") { vals.sort(function (a, b) { return a.value < b.value ? 1 : -1; }); }
      else { vals.sort(function (a, b) { return b.count - a.count || (a.value < b.value ? -1 : 1); }); }
      out[f.label] = vals;
    });
    return out;
  }

  // siteURL is a document's URL without the base path, as the server's hits have it; from
  // disk a folder's address names its index.html.
  function siteURL(m, u) {
    if (m.base !== "/" && u.indexOf(m.base) === 0) { u = u.slice(m.base.length - 1); }
    if (fromDisk && /\/$/.test(u)) { u += "index.html"; }
    return u;
  }

  // hit describes one result from the passages fetched for it: its best passage, snippet
  // and up to three passages.
  function hit(m, c, ps, look, named, asked) {
    var marks = Array.from(look.keys());
    var d = m.docs[c.doc], page = siteURL(m, d[0]);
    var h = { url: page, page_url: page, title: d[1], section: d[2], date: d[3], status: d[4], score: Math.round(c.score * 1000) / 1000, snippet: "", passages: [] };
    if (c.nav) {
      // The article named: it is the best passage.
      var at = ps.findIndex(function (p) { return p[1] === c.nav.anchor; });
      if (at >= 0) { ps = [ps[at]].concat(ps.slice(0, at), ps.slice(at + 1)); named = named.concat(ps[0][0].toLowerCase()); }
    }
    // A passage's weight: the query's terms it holds (a synonym's at half) and the kinds
    // of number asked for it states (as a word each), then how often they occur; one the
    // query names (第五条) comes first.
    var ranked = ps.map(function (p, i) {
      var low = p[2].toLowerCase(), n = named.indexOf(p[0].toLowerCase()) >= 0 ? 1000 : 0, times = 0;
      asked.forEach(function (units) { if (answers(low, units)) { n += ANSWER; } });
      marks.forEach(function (t) {
        var at = low.indexOf(t);
        if (at < 0) { return; }
        n += look.get(t);
        for (; at >= 0; at = low.indexOf(t, at + t.length)) { times++; }
      });
      return { p: p, i: i, n: n, times: times };
    }).filter(function (x) { return x.n > 0; });
    ranked.sort(function (a, b) { return b.n - a.n || b.times - a.times || a.i - b.i; });
    if (!ranked.length) {
      if (ps.length) { h.snippet = snippet(body(ps[0]), marks, asked); }
      return h;
    }
    var best = ranked[0].p;
    if (best[1]) { h.url = page + "#" + best[1]; }
    h.snippet = (best[0] ? "〔" + escape(best[0]) + "〕" : "") + snippet(body(best), marks, asked);
    var seen = new Set();
    h.passages = ranked.filter(function (x) {
      var key = x.p[1] + "\u0000" + x.p[0];
      if (seen.has(key) || (x.n % 1000) * 2 < ranked[0].n % 1000) { return false; }
      seen.add(key);
      return true;
    }).slice(0, 3).map(function (x) {
      return { anchor: x.p[1], label: x.p[0], snippet: snippet(body(x.p), marks, asked) };
    });
    return h;
  }

  // body is a passage's text without the label it starts with (its heading, 第五条).
  function body(p) {
    var t = p[2].replace(/^\s+/, "");
    return p[0] && t.indexOf(p[0]) === 0 ? t.slice(p[0].length) : t;
  }

  function escape(s) {
    return s.replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; });
  }

  // snippet shows about SNIPPET characters of text around the first match, escaped,
  // matches in <mark>.
  function snippet(text, terms, asked) {
    text = text.replace(/\s+/g, " ").trim();
    var low = text.toLowerCase(), first = -1;
    terms.forEach(function (t) { var i = low.indexOf(t); if (i >= 0 && (first < 0 || i < first)) { first = i; } });
    var start = first < 0 ? 0 : Math.max(0, first - Math.floor(SNIPPET / 3));
    var end = Math.min(text.length, start + SNIPPET);
    start = Math.max(0, Math.min(start, end - SNIPPET));
    if (isLow(text.charCodeAt(start))) { start--; }
    if (end < text.length && isLow(text.charCodeAt(end))) { end++; }
    // Ranges of matches within the window, merged where they touch.
    var win = low.slice(start, end), ranges = [];
    terms.forEach(function (t) {
      for (var i = win.indexOf(t); i >= 0 && t; i = win.indexOf(t, i + 1)) { ranges.push([i, i + t.length]); }
    });
    // The numbers a question asks for (十二小时 for 多长时间) are marked too.
    (asked || []).forEach(function (units) { ranges = ranges.concat(answerSpans(win, units)); });
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) { last[1] = Math.max(last[1], r[1]); } else { merged.push(r.slice()); }
    });
    var part = text.slice(start, end), out = "", at = 0;
    merged.forEach(function (r) {
      out += escape(part.slice(at, r[0])) + "<mark>" + escape(part.slice(r[0], r[1])) + "</mark>";
      at = r[1];
    });
    out += escape(part.slice(at));
    return (start > 0 ? "…" : "") + out + (end < text.length ? "…" : "");
  }
  function isLow(c) { return c >= 0xdc00 && c <= 0xdfff; }

  // ---- Public ---------------------------------------------------------------------------

  var api = function (query, opts) { return search(query, opts); };
  api._load = function (name, n, text) {
    var f = slot(name);
    if (f.done) { return; }
    f.done = true;
    inflate(n, text).then(f.resolve, f.reject);
  };
  // href turns a hit's site-relative url ("/cases/某案/#第五条") into an address to link to.
  api.href = function (u) {
    var hash = u.indexOf("#"), path = hash < 0 ? u : u.slice(0, hash);
    var out = root + encodeURI(path.replace(/^\//, ""));
    if (hash >= 0) { out += "#" + encodeURIComponent(u.slice(hash + 1)); }
    return out;
  };
  // preload starts loading meta.js (on focus of a search box, say) and says whether the
  // index is there.
  api.preload = function () { return meta().then(function () { return true; }, function () { return false; }); };
  api.root = root;
  window.jingjianSearch = api;
})();
