// Runs the search worker that ships (docs/assets/search-worker.js) in node, as a browser runs a dedicated worker:
// its own global scope (`self` with postMessage and addEventListener, `fetch`, `URL`), with `fetch` reading the
// files of a built site from disk. tests/test_search_worker.py drives it: one JSON request a line on stdin, one
// JSON answer a line on stdout.
//   usage: node search_worker_host.js WORKER_JS SITE_DIR
//   {"op": "query", "query": "..."}  -> {"results": [items of each RESULT posted], "fetched": [paths asked for]}
//   {"op": "segment", "query": "..."} -> {"terms": [[key, [words]]...]}   (the worker's own segmentation)
//   {"op": "shard", "tokens": [...], "shards": n} -> {"shards": [...]}    (the worker's own shardOf)
// At start it posts SETUP with the site's search_index.json, as Material's main script does, and prints
// {"ready": true, "messages": [...]} once the worker has answered.
"use strict";

const fs = require("fs");
const path = require("path");
const readline = require("readline");
const vm = require("vm");

const [workerFile, siteArgument] = process.argv.slice(2);
const siteDir = path.resolve(siteArgument);
const ORIGIN = "http://127.0.0.1";
const SETUP = 0, QUERY = 2;

let pending = 0;       // fetches not answered yet
let posted = [];       // messages the worker posted since the last request
let fetched = [];      // paths (with query string) the worker asked for since the last request
const listeners = [];

function response(file) {
  return fs.promises.readFile(file, "utf8").then(
    (text) => ({ ok: true, status: 200, json: () => Promise.resolve(JSON.parse(text)) }),
    () => ({ ok: false, status: 404, json: () => Promise.reject(new Error("not found")) }));
}

function fetchFromDisk(address) {
  const url = new URL(String(address));
  fetched.push(url.pathname + url.search);
  const file = path.join(siteDir, decodeURIComponent(url.pathname));
  const inside = url.origin === ORIGIN && file.startsWith(siteDir + path.sep);
  pending++;
  return (inside ? response(file) : Promise.reject(new TypeError("outside the site: " + url.href)))
    .finally(() => { pending--; });
}

const scope = {
  location: new URL("/assets/search-worker.js", ORIGIN),
  postMessage(message) { posted.push(JSON.parse(JSON.stringify(message))); },
  addEventListener(type, listener) { if (type === "message") listeners.push(listener); },
};
const context = vm.createContext({ self: scope, fetch: fetchFromDisk, URL, console });
vm.runInContext(fs.readFileSync(workerFile, "utf8"), context, { filename: workerFile });

function send(message) {
  listeners.forEach((listener) => listener({ data: message }));
}

// Every step of the worker waits on a fetch: it is done when none is pending once the event loop has turned.
async function settled() {
  do {
    await new Promise((resolve) => setImmediate(resolve));
  } while (pending > 0);
}

function take() {
  const out = { messages: posted, fetched: fetched };
  posted = [];
  fetched = [];
  return out;
}

async function answer(request) {
  if (request.op === "query") {
    send({ type: QUERY, data: request.query });
    await settled();
    const { messages, fetched: paths } = take();
    return { results: messages.map((m) => m.data.items), types: messages.map((m) => m.type), fetched: paths };
  }
  if (request.op === "segment") {
    const m = await context.meta;
    return { terms: context.segment(m, request.query).map((t) => [t.key, t.words]) };
  }
  if (request.op === "shard") {
    return { shards: request.tokens.map((t) => context.shardOf(t, request.shards)) };
  }
  throw new Error("unknown op " + request.op);
}

async function main() {
  const stub = JSON.parse(fs.readFileSync(path.join(siteDir, "search", "search_index.json"), "utf8"));
  send({ type: SETUP, data: stub });
  await settled();
  process.stdout.write(JSON.stringify({ ready: true, ...take() }) + "\n");
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    let out;
    try {
      out = await answer(JSON.parse(line));
    } catch (error) {
      out = { error: String(error && error.stack || error) };
    }
    process.stdout.write(JSON.stringify(out) + "\n");
  }
}

main();
