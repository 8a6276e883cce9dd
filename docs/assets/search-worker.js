// Search worker for Material for MkDocs 9.8.x that answers from the chunked index (generator/adapter/search.py writes
// search/chunks/) instead of loading the whole search_index.json into lunr: as it starts it loads meta.json (counts,
// page spans, vocabulary), and per query only the shards of the query's words and the doc blocks of the results.
// It speaks Material's internal worker protocol (message types SETUP 0, READY 1, QUERY 2, RESULT 3; RESULT data
// {items: [[page entry and its sections]...]}), which can change in any Material release: the browser tests in
// tests/browser/test_search.py cover it, and tests/test_search_worker.py runs this very file in node (the ranking).
// Material's renderer writes title and text with innerHTML, so everything posted is escaped text (as the index
// holds it) plus <mark> elements this file adds.
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
var BASE = new URL("../search/chunks/", self.location);
var FIRST_GROUPS = 10;     // posted as soon as their doc blocks arrive
var MAX_GROUPS = 20;       // then up to this many, in a second RESULT (a doc block or two each)
var MAX_SECTIONS = 10;     // matching sections shown per page
var LONGEST = 16;          // longest vocabulary word tried when segmenting Han text
var PREFIX_WORDS = 5;      // vocabulary words a half-typed last Latin word expands to
var STOP = new Set("的 了 和 与 及 或 在 是 为 对 由 将 等 并 其 之 被 把 也 就 都 而 以 于".split(" "));
var HAN_CLASS = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff";
var HAN = new RegExp("[" + HAN_CLASS + "]", "u");
// Runs of Han characters, or of other letters, digits and "_" (Python's \w): generator/adapter/search.py's RUN.
var RUN = new RegExp("[" + HAN_CLASS + "]+|(?:(?![" + HAN_CLASS + "])[\\p{L}\\p{N}_])+", "gu");
var SCHEME = /^[a-z][a-z0-9+.-]*:/i;

var files = new Map();     // relative path -> Promise of parsed JSON
var meta;                  // Promise of the prepared meta.json
var latest = 0;            // number of the newest query; older ones post nothing

function load(path, options) {
  if (!files.has(path)) {
    var request = fetch(new URL(path, BASE), options).then(function (response) {
      if (!response.ok) throw new Error(path + ": HTTP " + response.status);
      return response.json();
    });
    request.catch(function () { files.delete(path); });
    files.set(path, request);
  }
  return files.get(path);
}

function prepare(m) {
  var starts = new Int32Array(m.spans.length + 1);
  for (var i = 0; i < m.spans.length; i++) starts[i + 1] = starts[i] + m.spans[i];
  var vocab = m.vocab ? m.vocab.split("\n") : [];
  return {
    docs: m.docs, shards: m.shards, block: m.block, version: encodeURIComponent(m.version),
    starts: starts, vocab: vocab, words: new Set(vocab)
  };
}

// FNV-1a (32 bit) over code points, modulo the shard count: generator/adapter/search.py's shard_of.
function shardOf(token, shards) {
  var h = 0x811c9dc5;
  for (var ch of token) {
    h ^= ch.codePointAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % shards;
}

// The first entry (page) of the page that entry `doc` belongs to.
function pageOf(m, doc) {
  var lo = 0, hi = m.starts.length - 2;
  while (lo < hi) {
    var mid = (lo + hi + 1) >> 1;
    if (m.starts[mid] <= doc) lo = mid; else hi = mid - 1;
  }
  return m.starts[lo];
}

// Vocabulary words starting with `prefix` (the vocabulary is sorted), the word itself first if it is one.
function expand(m, prefix) {
  var lo = 0, hi = m.vocab.length;
  while (lo < hi) {
    var mid = (lo + hi) >> 1;
    if (m.vocab[mid] < prefix) lo = mid + 1; else hi = mid;
  }
  var out = [];
  for (var i = lo; i < m.vocab.length && out.length < PREFIX_WORDS && m.vocab[i].startsWith(prefix); i++)
    out.push(m.vocab[i]);
  return out;
}

// Query -> terms [{key, words}]: Han runs by greedy longest match on the vocabulary (a character no page has is
// skipped), other runs lower-cased; a last Latin run still being typed also matches the words it begins.
function segment(m, query) {
  var lower = query.toLowerCase();
  var runs = lower.match(RUN) || [];
  var typing = runs.length > 0 && lower.endsWith(runs[runs.length - 1]);
  var terms = [], seen = new Set();
  function add(key, words) {
    if (seen.has(key) || STOP.has(key)) return;
    seen.add(key);
    terms.push({ key: key, words: words });
  }
  runs.forEach(function (run, r) {
    if (!HAN.test(run[0])) {
      var last = typing && r === runs.length - 1;
      add(run, last ? expand(m, run) : (m.words.has(run) ? [run] : []));
      return;
    }
    var chars = Array.from(run);
    for (var i = 0; i < chars.length;) {
      var j = Math.min(chars.length, i + LONGEST);
      for (; j > i; j--) {
        var word = chars.slice(i, j).join("");
        if (m.words.has(word)) { add(word, [word]); break; }
      }
      i = j > i ? j : i + 1;
    }
  });
  return terms;
}

// Per term: doc -> weight x idf (best of its words).
function scoreTerms(m, terms) {
  var needed = [];
  terms.forEach(function (t) {
    t.words.forEach(function (w) { needed.push(load("s/" + shardOf(w, m.shards) + ".json?v=" + m.version)); });
  });
  return Promise.all(needed).then(function (shards) {
    var k = 0;
    return terms.map(function (t) {
      var table = new Map();
      t.words.forEach(function (w) {
        var flat = shards[k++][w] || [];
        var idf = Math.log(1 + m.docs / Math.max(1, flat.length / 2));
        for (var i = 0; i < flat.length; i += 2) {
          var s = flat[i + 1] * idf;
          if (!(table.get(flat[i]) >= s)) table.set(flat[i], s);
        }
      });
      return table;
    });
  });
}

// Ranked groups [{page, docs: [[doc, score]...]}]: pages with every term (AND), else any (OR); a doc's score is
// Material's: the sum of its term scores times 1 + (is a page + share of terms matched)^2.
function rank(m, tables) {
  if (!tables.length) return [];
  var candidates = Array.from(tables[0].keys()).filter(function (d) {
    return tables.every(function (t) { return t.has(d); });
  });
  if (!candidates.length) {
    var any = new Set();
    tables.forEach(function (t) { t.forEach(function (_, d) { any.add(d); }); });
    candidates = Array.from(any);
  }
  var scored = candidates.map(function (d) {
    var sum = 0, matched = 0;
    tables.forEach(function (t) { if (t.has(d)) { sum += t.get(d); matched++; } });
    var boost = (pageOf(m, d) === d ? 1 : 0) + matched / tables.length;
    return [d, sum * (1 + boost * boost)];
  });
  scored.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
  var groups = new Map();
  for (var i = 0; i < scored.length; i++) {
    var page = pageOf(m, scored[i][0]);
    var group = groups.get(page);
    if (!group) {
      if (groups.size === MAX_GROUPS) continue;
      groups.set(page, group = { page: page, docs: [] });
    }
    if (group.docs.length <= MAX_SECTIONS) group.docs.push(scored[i]);
  }
  return Array.from(groups.values());
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// Wraps the query's words in <mark data-md-highlight> inside text only: entities and tags are passed over.
// Input is escaped text; a stray < or > (an index not written by generator/adapter/search.py) is escaped again.
function highlighter(keys) {
  var pattern = keys.length ? new RegExp(keys.slice().sort(function (a, b) { return b.length - a.length; })
    .map(escapeRegExp).join("|"), "giu") : null;
  return function (escaped) {
    var safe = String(escaped).replace(/</g, "&lt;").replace(/>/g, "&gt;");
    if (!pattern) return safe;
    return safe.replace(/(&(?:#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]*);)|([^&]+|&)/gi, function (all, entity, text) {
      return entity || text.replace(pattern, "<mark data-md-highlight>$&</mark>");
    });
  };
}

// Material's items for the groups: the page entry and its matching sections, best first.
function items(m, groups, terms, tables) {
  var blocks = new Set();
  groups.forEach(function (g) {
    blocks.add(Math.floor(g.page / m.block));
    g.docs.forEach(function (e) { blocks.add(Math.floor(e[0] / m.block)); });
  });
  var list = Array.from(blocks);
  return Promise.all(list.map(function (b) { return load("d/" + b + ".json?v=" + m.version); }))
    .then(function (loaded) {
      var byBlock = new Map();
      list.forEach(function (b, i) { byBlock.set(b, loaded[i]); });
      var mark = highlighter(terms.map(function (t) { return t.key; }));
      function item(doc, score, matched) {
        var row = byBlock.get(Math.floor(doc / m.block))[doc % m.block];
        if (!row || SCHEME.test(String(row[1]))) return null;
        var found = {};
        terms.forEach(function (t, k) { found[t.key] = matched ? tables[k].has(doc) : false; });
        return { location: String(row[1]), title: mark(row[0]), text: row[2] ? "<p>" + mark(row[2]) + "</p>" : "",
          score: score, terms: found };
      }
      return groups.map(function (g) {
        var out = g.docs.map(function (e) { return item(e[0], e[1], true); });
        if (!g.docs.some(function (e) { return e[0] === g.page; })) {
          var page = item(g.page, 0, false);
          if (page) {  // not matched itself: it carries the words its sections matched, for ?h= on its link
            out.forEach(function (o) {
              if (o) Object.keys(o.terms).forEach(function (k) { page.terms[k] = page.terms[k] || o.terms[k]; });
            });
            out.push(page);
          }
        }
        return out.filter(Boolean);
      }).filter(function (group) { return group.length; });
    });
}

function post(ticket, list) {
  if (ticket === latest) self.postMessage({ type: RESULT, data: { items: list } });
}

function search(ticket, query) {
  if (!query.trim()) return Promise.resolve(post(ticket, []));
  return meta.then(function (m) {
    var terms = segment(m, query);
    return scoreTerms(m, terms).then(function (tables) {
      if (ticket !== latest) return null;
      var groups = rank(m, tables);
      return items(m, groups.slice(0, FIRST_GROUPS), terms, tables).then(function (first) {
        post(ticket, first);
        if (groups.length <= FIRST_GROUPS || ticket !== latest) return null;
        return items(m, groups.slice(FIRST_GROUPS), terms, tables).then(function (rest) {
          post(ticket, first.concat(rest));
        });
      });
    });
  }).catch(function (error) {
    console.warn("search: " + error.message);
    post(ticket, []);
  });
}

function start() {
  var prepared = load("meta.json", { cache: "no-cache" }).then(prepare);
  prepared.catch(function () {});  // reported when a SETUP or a QUERY waits for it
  return prepared;
}

// meta.json is requested as the worker starts, while Material's main script still fetches the stub for SETUP.
meta = start();

self.addEventListener("message", function (event) {
  var message = event.data || {};
  if (message.type === SETUP) {
    // The docs of Material's SETUP are empty (search_index.json is a stub); the index is read from the chunks.
    meta = meta.catch(start);  // a meta.json that failed as the worker started is asked again
    meta.catch(function (error) { console.warn("search: " + error.message); })
      .then(function () { self.postMessage({ type: READY }); });
  } else if (message.type === QUERY) {
    search(++latest, String(message.data || ""));
  }
});
