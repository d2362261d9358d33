// Builds dist/index.html: the page with its script inlined and a build stamp.
// No dependencies: only Node's standard library.
const fs = require("fs");
const path = require("path");

const src = path.join(__dirname, "src");
const dist = path.join(__dirname, "dist");
const page = fs.readFileSync(path.join(src, "index.html"), "utf8");
const script = fs.readFileSync(path.join(src, "app.js"), "utf8");
const stamp = `built ${new Date().toISOString()} with Node ${process.version}`;

const out = page
  .replace("<!-- SCRIPT -->", `<script>\n${script}</script>`)
  .replace("<!-- STAMP -->", stamp);

fs.rmSync(dist, { recursive: true, force: true });
fs.mkdirSync(dist);
fs.writeFileSync(path.join(dist, "index.html"), out);
console.log(`dist/index.html (${out.length} bytes), ${stamp}`);
