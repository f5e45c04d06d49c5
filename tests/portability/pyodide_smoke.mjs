// Runs the classad smoke checks inside Pyodide under Node (driven by test_pyodide.py).
//
// Usage: node pyodide_smoke.mjs CONFIG.json
//
// CONFIG is a JSON object: pyodide_dir (the installed npm package), wheels (paths of the wheels
// to unpack), checks (path of pyodide_checks.py), cases (path of the vector cases, JSON),
// data_dir (the shared data directory, or null to skip the data phase) and output (where to write
// the results). Everything is local: Pyodide's core and standard library come from the npm
// package; there is no micropip and no network access.
//
// Each phase is one call of pyodide_checks.run_phase(); a Python exception or a JavaScript error
// (a RangeError from stack exhaustion, a fatal Pyodide error) is recorded for that phase and the
// later phases still run. The results file is always written; the exit status is 0 only when
// every phase passed.

import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const config = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const results = { pyodide: null, phases: {}, load_seconds: null, fatal: null };
const MAX_ERROR = 20000;

function describe(error) {
  if (error === null || error === undefined) return String(error);
  const kind = error.constructor && error.constructor.name ? error.constructor.name : typeof error;
  // A PythonError's message is the Python traceback; its JavaScript stack adds nothing.
  const text = kind === "PythonError" ? error.message : error.stack || error.message || String(error);
  return `${kind}: ${String(text).slice(0, MAX_ERROR)}`;
}

function save() {
  fs.writeFileSync(config.output, JSON.stringify(results));
}

function die(error) {
  // Never let Node print its own report: it quotes whole lines of Pyodide's minified source.
  results.fatal = describe(error);
  console.error(`pyodide_smoke: fatal: ${results.fatal}`);
  try {
    save();
  } finally {
    process.exit(2);
  }
}

process.on("uncaughtException", die);
process.on("unhandledRejection", die);

function seconds(start) {
  return Math.round(performance.now() - start) / 1000;
}

function runPhase(pyodide, name, argument) {
  const start = performance.now();
  try {
    const run = pyodide.globals.get("_smoke_run_phase");
    const text = run(name, argument);
    results.phases[name] = { ok: true, seconds: seconds(start), result: JSON.parse(text) };
  } catch (error) {
    results.phases[name] = { ok: false, seconds: seconds(start), error: describe(error) };
  }
  const phase = results.phases[name];
  console.log(`pyodide_smoke: phase ${name}: ${phase.ok ? "ok" : "FAILED"} in ${phase.seconds} s`);
  if (!phase.ok) console.log(phase.error);
}

async function main() {
  const start = performance.now();
  const moduleUrl = pathToFileURL(path.join(config.pyodide_dir, "pyodide.mjs")).href;
  const { loadPyodide } = await import(moduleUrl);
  const pyodide = await loadPyodide({
    indexURL: config.pyodide_dir + path.sep,
    stdout: (line) => console.log(`[py] ${line}`),
    stderr: (line) => console.error(`[py] ${line}`),
  });
  results.load_seconds = seconds(start);
  results.pyodide = pyodide.version;
  console.log(`pyodide_smoke: Pyodide ${pyodide.version} loaded in ${results.load_seconds} s`);

  const FS = pyodide.FS;
  FS.mkdirTree("/smoke/wheels");
  for (const wheel of config.wheels) {
    FS.writeFile(`/smoke/wheels/${path.basename(wheel)}`, fs.readFileSync(wheel));
  }
  FS.writeFile("/smoke/pyodide_checks.py", fs.readFileSync(config.checks));
  FS.writeFile("/smoke/cases.json", fs.readFileSync(config.cases));
  pyodide.runPython(
    [
      "import sys",
      "sys.path.insert(0, '/smoke')",
      "from pyodide_checks import run_phase as _smoke_run_phase",
    ].join("\n"),
  );

  runPhase(pyodide, "install", "/smoke/wheels");
  runPhase(pyodide, "import", "");
  if (config.data_dir) {
    FS.mkdirTree("/data");
    FS.mount(FS.filesystems.NODEFS, { root: config.data_dir }, "/data");
    runPhase(pyodide, "data", "/data");
  }
  runPhase(pyodide, "regex", "");
  runPhase(pyodide, "vectors", "/smoke/cases.json");
}

try {
  await main();
} catch (error) {
  die(error);
}
save();
const failed = Object.entries(results.phases).filter(([, phase]) => !phase.ok).map(([name]) => name);
if (failed.length) console.error(`pyodide_smoke: failed phases: ${failed.join(", ")}`);
process.exit(failed.length ? 1 : 0);
