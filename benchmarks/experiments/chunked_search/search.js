// Chunked search: loads index/meta.json (vocabulary + counts) at once, and per query only the shards of its
// tokens and the doc blocks of its first results. Same shard function and segmentation as build_index.py.
(function () {
  "use strict";
  var BASE = "index/";
  var LIMIT = 10;
  var LONGEST = 8;
  var STOP = new Set("的 了 和 与 及 或 在 是 为 对 由 将 等 并 其 之 被 把 也 就 都 而 以 于".split(" "));
  var HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
  var RUNS = /[\u3400-\u9fff\uf900-\ufaff]+|[^\W\u3400-\u9fff\uf900-\ufaff]+/gu;
  var cache = new Map();

  function get(path) {
    if (!cache.has(path)) {
      cache.set(path, fetch(BASE + path).then(function (r) {
        if (!r.ok) throw new Error(path + ": HTTP " + r.status);
        return r.json();
      }));
    }
    return cache.get(path);
  }

  var meta = get("meta.json").then(function (m) {
    m.vocabSet = new Set(m.vocab.split("\n"));
    return m;
  });

  function shardOf(token, shards) {
    var h = 0x811c9dc5;
    for (var ch of token) {
      h ^= ch.codePointAt(0);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % shards;
  }

  function segment(query, vocab) {
    var out = [];
    var runs = query.toLowerCase().match(RUNS) || [];
    runs.forEach(function (run) {
      if (!HAN.test(run[0])) { out.push(run); return; }
      var chars = Array.from(run);
      var i = 0;
      while (i < chars.length) {
        var j = Math.min(chars.length, i + LONGEST);
        for (; j > i; j--) {
          var word = chars.slice(i, j).join("");
          if (vocab.has(word)) { out.push(word); break; }
        }
        i = j > i ? j : i + 1;  // a character no page contains is skipped
      }
    });
    return Array.from(new Set(out)).filter(function (t) { return !STOP.has(t); });
  }

  function search(query) {
    return meta.then(function (m) {
      var terms = segment(query, m.vocabSet);
      return Promise.all(terms.map(function (t) { return get("s/" + shardOf(t, m.shards) + ".json"); }))
        .then(function (shards) {
          var lists = shards.map(function (shard, k) {
            var flat = shard[terms[k]] || [];
            var idf = Math.log(1 + m.docs / Math.max(1, flat.length / 2));
            var scores = new Map();
            for (var i = 0; i < flat.length; i += 2) scores.set(flat[i], flat[i + 1] * idf);
            return scores;
          });
          if (!lists.length) return [];
          var candidates = Array.from(lists[0].keys()).filter(function (d) {
            return lists.every(function (l) { return l.has(d); });
          });
          if (!candidates.length) {  // no page has every word: any word
            var any = new Set();
            lists.forEach(function (l) { l.forEach(function (_, d) { any.add(d); }); });
            candidates = Array.from(any);
          }
          var scored = candidates.map(function (d) {
            var s = 0;
            lists.forEach(function (l) { s += l.get(d) || 0; });
            return [d, s];
          });
          scored.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
          var top = scored.slice(0, LIMIT);
          return Promise.all(top.map(function (e) { return get("d/" + Math.floor(e[0] / m.block) + ".json"); }))
            .then(function (blocks) {
              return top.map(function (e, k) { return blocks[k][e[0] % m.block]; });
            });
        });
    });
  }

  var box = document.getElementById("q");
  var list = document.getElementById("results");
  var status = document.getElementById("status");
  var latest = 0;

  function run() {
    var query = box.value.trim();
    var ticket = ++latest;
    if (!query) { list.replaceChildren(); status.textContent = ""; return; }
    search(query).then(function (docs) {
      if (ticket !== latest) return;
      var items = docs.map(function (doc) {
        var li = document.createElement("li");
        li.className = "result";
        var a = document.createElement("a");
        a.href = "/" + doc[1];
        a.textContent = doc[0];
        var p = document.createElement("p");
        p.textContent = doc[2];
        li.append(a, p);
        return li;
      });
      list.replaceChildren.apply(list, items);
      status.textContent = docs.length ? "" : "没有找到结果";
    }).catch(function (error) { status.textContent = "搜索出错:" + error.message; });
  }

  box.addEventListener("input", run);
  if (box.value) run();
})();
