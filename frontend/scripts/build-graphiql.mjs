// Copy the GraphiQL standalone (UMD) bundle and its React runtime from
// node_modules into graphmap/static/graphiql/, so the GraphQL playground
// served by graphmap works without any CDN / internet access.
//
// Usage: npm run build:graphiql   (from frontend/)
//
// Only the files listed below are written to the target directory; any
// other previously built .js/.css file found there is removed so the
// directory always mirrors exactly what the page loads.
import { copyFile, mkdir, readdir, readFile, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const target = path.resolve(here, "..", "..", "graphmap", "static", "graphiql");

/** Directory of an installed package (works even with "exports" maps). */
function pkgDir(name) {
  return path.dirname(require.resolve(`${name}/package.json`));
}

async function version(name) {
  const pkg = JSON.parse(await readFile(path.join(pkgDir(name), "package.json"), "utf8"));
  return pkg.version;
}

// [package, file inside the package, name in graphmap/static/graphiql/]
const FILES = [
  ["react", "umd/react.production.min.js", "react.production.min.js"],
  ["react-dom", "umd/react-dom.production.min.js", "react-dom.production.min.js"],
  ["graphiql", "graphiql.min.js", "graphiql.min.js"],
  ["graphiql", "graphiql.min.css", "graphiql.min.css"],
];

await mkdir(target, { recursive: true });

const wanted = new Set(FILES.map(([, , dest]) => dest));
for (const entry of await readdir(target)) {
  if (/\.(js|css|map)$/.test(entry) && !wanted.has(entry)) {
    await rm(path.join(target, entry));
    console.log(`removed stale ${entry}`);
  }
}

let total = 0;
for (const [pkg, file, dest] of FILES) {
  const src = path.join(pkgDir(pkg), file);
  await copyFile(src, path.join(target, dest));
  const { size } = await stat(src);
  total += size;
  console.log(`${pkg}@${await version(pkg)}  ${file} -> ${dest}  (${(size / 1024).toFixed(0)} KiB)`);
}
console.log(`graphiql assets in ${path.relative(process.cwd(), target)}: ${(total / 1024).toFixed(0)} KiB`);
