// The worker: runs one job at a time in the WebAssembly module (wasm_bindgen, defined by the
// glue above). A panic aborts the module; the job is then reported as crashed and the page
// replaces this worker with a fresh one.
let lastPanic = "";
self.goalsheetPanic = (message) => { lastPanic = message; };
let ready = null;

async function bytesOf(file) {
  return new Uint8Array(await file.arrayBuffer());
}

function take(output) {
  const result = { json: output.json, bytes: output.bytes };
  output.free();
  return result;
}

async function run(m, progress) {
  const gs = wasm_bindgen;
  switch (m.job) {
    case "check": {
      // Refused by size before a byte is read, as the CLI does.
      const refused = gs.check_refused(m.name, m.file.size, m.lang);
      if (refused !== undefined) return { json: refused };
      return { json: gs.check(m.name, await bytesOf(m.file), m.lang, m.stage) };
    }
    case "across":
      return { json: gs.across(m.files, m.lang) };
    case "fix":
      return take(gs.fix(m.name, await bytesOf(m.file), m.lang, m.unsafeFixes, m.stage));
    case "convert":
      return take(gs.convert(m.name, await bytesOf(m.file), m.to, m.encoding, m.lang));
    case "template":
      return take(gs.template(m.year, m.department, m.division, m.entries, m.today, m.lang));
    case "next":
      return take(gs.next_year(m.name, await bytesOf(m.file), m.year, m.lang));
    case "merge": {
      const merger = new gs.Merger();
      for (let i = 0; i < m.files.length; i++) {
        const f = m.files[i];
        merger.add(f.name, await bytesOf(f.file), f.file.lastModified);
        progress(i + 1);
      }
      return take(merger.finish(m.department, m.year, m.force, m.lang));
    }
    case "zip": {
      const zipper = new gs.Zipper();
      for (const f of m.files) zipper.add(f.name, f.bytes);
      return take(zipper.finish());
    }
    case "rules":
      return { json: gs.rules(m.lang) };
    case "panic":
      gs.panic_for_test();
      return {};
    default:
      throw new Error("unknown job " + m.job);
  }
}

self.onmessage = async (event) => {
  const m = event.data;
  if (m.type === "init") {
    ready = wasm_bindgen({ module_or_path: m.module }).then(() => {
      wasm_bindgen.start();
      wasm_bindgen.set_source_date_epoch(m.sourceDateEpoch ?? -1);
    });
    return;
  }
  try {
    await ready;
    const result = await run(m, (done) => self.postMessage({ id: m.id, progress: done }));
    const transfer = result.bytes ? [result.bytes.buffer] : [];
    self.postMessage({ id: m.id, result }, transfer);
  } catch (e) {
    self.postMessage({ id: m.id, crash: lastPanic || String((e && e.message) || e) });
  }
};
