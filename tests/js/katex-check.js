// Render TeX formulas with KaTeX, as the tests ask: read a JSON array of
// {"tex": "...", "display": true|false} on stdin; print a JSON array of
// {"index": n, "error": "..."} for every formula KaTeX rejects; exit 1 if any.
"use strict";
const katex = require("katex");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const formulas = JSON.parse(input);
  const errors = [];
  formulas.forEach((f, index) => {
    try {
      katex.renderToString(f.tex, { displayMode: Boolean(f.display), throwOnError: true, strict: "error" });
    } catch (err) {
      errors.push({ index, error: String(err.message || err) });
    }
  });
  process.stdout.write(JSON.stringify(errors) + "\n");
  process.exit(errors.length ? 1 : 0);
});
