/**
 * Run-page benchmark: a finished 100,000-step BuPO run with 36-layer metrics on every step, opened in Chromium.
 * Seeds a fresh PostgreSQL database (user, team, session, one SUCCEEDED run, 100k RunMetric rows built in SQL),
 * starts the production web server (apps/web/server.ts) and measures, over `--loads` cold page loads (a new
 * browser context each time, so no HTTP cache; one unmeasured warm-up load first):
 *   - time to first chart: first uPlot canvas in [data-testid=metric-charts] with the series line painted;
 *   - time to interactive: all metric charts and the layer heatmap painted, then a real mouse move over the
 *     first chart handled and the next frame produced;
 *   - where the time goes: document, run.get, the batched run.series request (server time, bytes), long tasks,
 *     the Socket.IO backfill the page receives (bytes, duration);
 *   - zoom: drag-select on the first chart (mouseup → re-queried run.series response → chart redrawn), and
 *     run.series over HTTP with a 10,000-step range (median of `--zooms`);
 *   - memory: the tab's JS heap (performance.memory, CDP JSHeapUsedSize after GC), the renderer's RSS and the
 *     web server's RSS.
 * All page times are `performance.now()` in the page (0 = navigation start). Prints markdown tables; exit 0.
 *
 * Usage (needs `npx next build` in apps/web, PostgreSQL, /usr/bin/chromium):
 *   cd apps/web && DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \
 *     npx tsx scripts/bench-run-page.ts [--steps 100000] [--layers 36] [--loads 5] [--zooms 10] \
 *       [--settle-timeout 180] [--chromium /usr/bin/chromium] [--block-socket]
 * --block-socket (diagnostic): the page's WebSocket is pointed at a closed port, so there is no Socket.IO
 * backfill and no live refetch; shows what the charts cost on their own.
 */
import fs from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import { openTestDatabase } from "@bupo/db/testing";
import { defaultRunConfig, RunConfigSchema } from "@bupo/shared/run-config";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { METRIC_CHARTS } from "../src/app/_components/run/chart-keys.ts";
import { SCALAR_VALUES_FROM_JSON_SQL } from "../src/server/services/run-metrics-service.ts";
import { newToken, seedOwnerWithSession } from "../test/pipeline/fixtures.ts";
import { type Proc, startWeb } from "../test/pipeline/processes.ts";

const { values: args } = parseArgs({
  options: {
    steps: { type: "string", default: "100000" },
    layers: { type: "string", default: "36" },
    loads: { type: "string", default: "5" },
    zooms: { type: "string", default: "10" },
    "settle-timeout": { type: "string", default: "180" },
    "block-socket": { type: "boolean", default: false },
    chromium: { type: "string", default: "/usr/bin/chromium" },
  },
});
const STEPS = Number(args.steps);
const L = Number(args.layers);
const LOADS = Number(args.loads);
const ZOOMS = Number(args.zooms);
const SETTLE_MS = Number(args["settle-timeout"]) * 1000;
const TARGET_LOAD_MS = 1500;
const TARGET_ZOOM_MS = 200;
const VIEWPORT = { width: 1440, height: 900 };
const KEYS = METRIC_CHARTS.map((c) => c.key);

const median = (xs: number[]) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return Number.NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : "n/a");
const mb = (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 1048576).toFixed(1)} MB` : "n/a");
const rssOf = (pid: number) => {
  try {
    return (
      Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? Number.NaN) * 1024
    );
  } catch {
    return Number.NaN;
  }
};
/** CPU seconds (user + system) of a process. */
const cpuOf = (pid: number) => {
  const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(f[11]) + Number(f[12])) / 100;
};
/** Waits until the process used < 10 % of a core for two consecutive seconds (at most 300 s). */
async function serverIdle(pid: number) {
  const end = Date.now() + 300_000;
  let calm = 0;
  let last = cpuOf(pid);
  while (Date.now() < end && calm < 2) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = cpuOf(pid);
    calm = now - last < 0.1 ? calm + 1 : 0;
    last = now;
  }
}
const check = (value: number, target: number) => (value <= target ? "✓" : "✗ missed");
const log = (msg: string) => console.error(`[bench-run-page] ${msg}`);

// ---- SQL for the metric rows -------------------------------------------------------------------
// Per-layer records are computed once into a scratch table of 1,000 variants (100 training-progress levels ×
// 10 noise draws; computing 100k × 36 layers in SQL takes minutes on 2 cores) and joined to every step by its
// progress level: each row still gets its own copy of the arrays and of the `layers` JSON (6.5 kB as text,
// full float8 precision like a trainer's JS numbers). Scalars are computed per step, with noise and spikes.
// Deterministic per-(variant, layer) noise in [0, 1), so the input of layer l equals the output of layer l-1:
// fract(sin(a·12.9898 + b·78.233 + salt) · 43758.5453).
const noise = (a: string, b: string, salt: number) =>
  `(sin((${a})*12.9898 + (${b})*78.233 + ${salt})*43758.5453 - floor(sin((${a})*12.9898 + (${b})*78.233 + ${salt})*43758.5453))`;
// Residual-stream entropy (raw lens) after layer l, nats: ~ln(151936) at the embeddings, falling with depth,
// the last layers sharpening as training goes on (tr: 0 → 1).
const H = (l: string) =>
  `(11.93 - (10.3 + 0.6*t.tr) * power((${l})::float8 / ${L}, 1.35) + 0.15*(${noise("v", l, 1)} - 0.5))`;
const attnOut = `(11.93 - 3.5*power(l::float8 / ${L}, 0.8) - 1.5*t.tr*l / ${L} + 0.3*(${noise("v", "l", 2)} - 0.5))`;
const ffnOut = `(11.93 - 5.5*power(l::float8 / ${L}, 1.8) - 0.8*t.tr*l / ${L} + 0.3*(${noise("v", "l", 3)} - 0.5))`;
const module = (p: string) =>
  `jsonb_build_object('input', to_jsonb(a.${p}_in), 'output', to_jsonb(a.${p}_out), 'change', to_jsonb(a.${p}_ch))`;
const VARIANT_SQL = `
CREATE TABLE bench_layer_variant AS
SELECT v, (ARRAY[a.layer_in[1]] || a.layer_out)::real[] AS layer_entropy, a.attn_ch::real[] AS attn_delta,
  a.ffn_ch::real[] AS ffn_delta,
  jsonb_build_object('lens', 'raw', 'numTokens', 480 + (v % 7)*13,
    'layer', ${module("layer")}, 'attn', ${module("attn")}, 'ffn', ${module("ffn")}) AS layers
FROM generate_series(0, 999) AS v
CROSS JOIN LATERAL (SELECT (v / 10) / 99.0::float8 AS tr) t
CROSS JOIN LATERAL (
  SELECT array_agg(hin) AS layer_in, array_agg(hout) AS layer_out, array_agg(hout - hin) AS layer_ch,
         array_agg(ain) AS attn_in, array_agg(aout) AS attn_out, array_agg(aout - ain) AS attn_ch,
         array_agg(fin) AS ffn_in, array_agg(fout) AS ffn_out, array_agg(fout - fin) AS ffn_ch
  FROM (
    SELECT l, x.hin, x.hout, x.hin + 0.02*(${noise("v", "l", 4)} - 0.5) AS ain, x.aout,
           x.hin - 0.3*(x.hin - x.hout) AS fin, x.fout
    FROM generate_series(1, ${L}) AS l
    CROSS JOIN LATERAL (SELECT ${H("l - 1")} AS hin, ${H("l")} AS hout, ${attnOut} AS aout, ${ffnOut} AS fout OFFSET 0) x
    OFFSET 0
  ) per_layer
) a`;
const INSERT_SQL = `
INSERT INTO "RunMetric" ("runId", step, scalars, "layerEntropy", "attnEntropyDelta", "ffnEntropyDelta", layers)
SELECT $1, s,
  jsonb_strip_nulls(jsonb_build_object(
    'bupo/phase', CASE WHEN s <= 30 THEN 1 ELSE 2 END,
    'bupo/internal_layer', CASE WHEN s <= 30 THEN 0 END,
    'actor/entropy', greatest(0.05, 0.35 + 1.1*exp(-s::float8/20000) + 0.06*(random() - 0.5) + t.spike*0.8),
    'actor/pg_loss', 0.02*(random() - 0.5) + t.spike*0.4,
    'actor/pg_clipfrac', 0.002 + 0.006*random() + t.spike*0.2,
    'actor/pg_clipfrac_lower', 0.0005*random(),
    'actor/ppo_kl', 0.001*(random() - 0.3) + t.spike*0.05,
    'actor/grad_norm', 0.25 + 0.15*random() + t.spike*8,
    'actor/lr', 1e-6,
    'critic/score/mean', least(1, greatest(0, 0.15 + 0.55/(1 + exp(-(s - 30000)::float8/8000)) + 0.08*(random() - 0.5) - t.spike*0.3)),
    'critic/score/max', 1,
    'critic/score/min', 0,
    'response_length/mean', 180 + 260*(1 - exp(-s::float8/40000)) + 25*(random() - 0.5),
    'response_length/max', 1024,
    'response_length/min', 12 + floor(20*random()),
    'response_length/clip_ratio', 0.01*random() + 0.03*s::float8/${STEPS},
    'frac_reward_zero_std', greatest(0, 0.55 - 0.35*t.tr + 0.1*(random() - 0.5)),
    'perf/throughput', 900 + 80*(random() - 0.5) - t.spike*400,
    'perf/time_per_step', 28 + 4*random() + t.spike*20
  )),
  lv.layer_entropy, lv.attn_delta, lv.ffn_delta, lv.layers
FROM generate_series($2::int, $3::int) AS s
CROSS JOIN LATERAL (
  SELECT 1 - exp(-s::float8/25000) AS tr, CASE WHEN (s*7919) % 10007 < 3 THEN 1 ELSE 0 END AS spike
) t
JOIN bench_layer_variant lv ON lv.v = least(99, floor(t.tr*100))::int*10 + (s*7919) % 10`;

// ---- in-page probe (plain JS: injected before any page script) --------------------------------------
const PAGE_PROBE = `(() => {
  performance.setResourceTimingBufferSize(10000);
  const b = (window.__bench = { marks: {}, drawn: {}, longTasks: [], ws: { frames: 0, chars: 0, last: 0, first: 0 } });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longTasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch {}
  const NativeWS = window.WebSocket;
  window.WebSocket = class extends NativeWS {
    constructor(...a) {
      super(...(BLOCK_SOCKET ? ["ws://127.0.0.1:9/", ...a.slice(1)] : a));
      this.addEventListener("message", (e) => {
        const now = performance.now();
        if (!b.ws.frames) b.ws.first = now;
        b.ws.frames++;
        b.ws.chars += typeof e.data === "string" ? e.data.length : e.data.byteLength || e.data.size || 0;
        b.ws.last = now;
      });
    }
  };
  // A uPlot canvas shows data when enough pixels have the first series colour (#4e79a7, the mean line).
  b.hasSeries = (c) => {
    const ctx = c.getContext("2d");
    if (!ctx || !c.width || !c.height) return false;
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] > 200 && Math.abs(d[i] - 0x4e) < 24 && Math.abs(d[i + 1] - 0x79) < 24 && Math.abs(d[i + 2] - 0xa7) < 24 && ++n > 30) return true;
    }
    return false;
  };
  b.hash = (c) => {
    const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let h = 0;
    for (let i = 0; i < d.length; i += 28) h = (h * 31 + d[i] + d[i + 1] * 7 + d[i + 2] * 13) | 0;
    return h;
  };
  b.figures = () => {
    const root = document.querySelector("[data-testid=metric-charts]");
    return root ? [...root.querySelectorAll(":scope > figure")] : [];
  };
  const tick = () => {
    const t = performance.now();
    const figs = b.figures();
    figs.forEach((f, i) => {
      if (b.drawn[i] != null || f.getAttribute("aria-busy")) return;
      const host = f.querySelector("[role=application]");
      if (!host || (host.getAttribute("aria-label") || "").includes("no runs")) return;
      const c = host.querySelector(".u-wrap canvas");
      if (c && b.hasSeries(c)) {
        b.drawn[i] = t;
        if (b.marks.firstChart == null) b.marks.firstChart = t;
      }
    });
    if (figs.length && Object.keys(b.drawn).length === figs.length && b.marks.allCharts == null) {
      b.marks.allCharts = t;
      b.charts = figs.length;
    }
    if (b.marks.heatmap == null) {
      const hm = document.querySelector('[aria-roledescription=chart][aria-label*="heatmap of"]');
      const m = hm && /\\((\\d+) layers\\) and step \\((\\d+) steps\\)/.exec(hm.getAttribute("aria-label") || "");
      const c = hm && hm.querySelector("canvas");
      if (m && +m[1] > 0 && +m[2] > 0 && c && c.width > 0) {
        const px = c.getContext("2d").getImageData(c.width >> 1, c.height >> 1, 1, 1).data;
        if (px[3] > 0) {
          b.marks.heatmap = t;
          b.heatmap = { layers: +m[1], steps: +m[2] };
        }
      }
    }
    if (b.marks.allCharts == null || b.marks.heatmap == null) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  // Interactive: the first mouse move after arming is handled, and the frame after it is produced.
  b.armInput = () => {
    document.addEventListener("mousemove", (e) => {
      if (b.marks.inputHandled != null) return;
      b.marks.inputHandled = performance.now();
      b.inputDelay = b.marks.inputHandled - e.timeStamp;
      requestAnimationFrame(() => { b.marks.interactive = performance.now(); });
    }, { capture: true });
  };
  // Zoom: per-frame hash of the first chart's canvas from arming until 5 s after mouseup.
  b.armZoom = () => {
    const c = b.figures()[0].querySelector(".u-wrap canvas");
    b.zoom = { frames: [], mouseupAt: null };
    document.addEventListener("mouseup", () => { b.zoom.mouseupAt = performance.now(); }, { capture: true, once: true });
    const loop = () => {
      const t = performance.now();
      b.zoom.frames.push([t, b.hash(c)]);
      if (b.zoom.mouseupAt == null || t - b.zoom.mouseupAt < 5000) requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  };
  b.zoomResult = () => {
    const z = b.zoom;
    const e = performance.getEntriesByType("resource").find((x) => x.name.includes("run.series") && decodeURIComponent(x.name).includes('"range":{"from"') && x.startTime >= z.mouseupAt - 1);
    if (!e) return null;
    const before = z.frames.filter((f) => f[0] < e.responseEnd).pop();
    const redraw = z.frames.find((f) => f[0] >= e.responseEnd && before && f[1] !== before[1]);
    return {
      requestStart: e.startTime - z.mouseupAt,
      response: e.responseEnd - z.mouseupAt,
      server: e.responseStart - e.requestStart,
      bytes: e.encodedBodySize,
      redrawn: redraw ? redraw[0] - z.mouseupAt : null,
    };
  };
  b.report = () => {
    const nav = performance.getEntriesByType("navigation")[0];
    const trpc = performance.getEntriesByType("resource").filter((x) => x.name.includes("/api/trpc/"));
    const pick = (name) => {
      const e = trpc.find((x) => new URL(x.name).pathname.includes(name));
      return e ? { procs: decodeURIComponent(new URL(e.name).pathname.split("/").pop()), start: e.startTime, requestStart: e.requestStart,
        responseStart: e.responseStart, end: e.responseEnd, bytes: e.encodedBodySize, decoded: e.decodedBodySize } : null;
    };
    return {
      marks: b.marks, drawn: b.drawn, charts: b.charts, heatmap: b.heatmap, inputDelay: b.inputDelay,
      nav: { ttfb: nav.responseStart, domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, bytes: nav.encodedBodySize },
      scripts: performance.getEntriesByType("resource").filter((x) => x.initiatorType === "script").reduce((a, x) => a + x.encodedBodySize, 0),
      runGet: pick("run.get"), series: pick("run.series"), matrix: pick("run.layerMatrix"), profile: pick("run.layerProfile"),
      trpcRequests: trpc.length,
      longTasks: b.longTasks, ws: b.ws,
      heap: performance.memory ? performance.memory.usedJSHeapSize : null,
      now: performance.now(),
    };
  };
})();`;

interface ProcTiming {
  procs: string;
  start: number;
  requestStart: number;
  responseStart: number;
  end: number;
  bytes: number;
  decoded: number;
}
interface PageReport {
  marks: Record<string, number | undefined>;
  drawn: Record<string, number>;
  charts: number;
  heatmap: { layers: number; steps: number } | undefined;
  inputDelay: number;
  nav: { ttfb: number; domContentLoaded: number; load: number; bytes: number };
  scripts: number;
  runGet: ProcTiming | null;
  series: ProcTiming | null;
  matrix: ProcTiming | null;
  profile: ProcTiming | null;
  trpcRequests: number;
  longTasks: [number, number][];
  ws: { frames: number; chars: number; first: number; last: number };
  heap: number | null;
  now: number;
}
interface ZoomResult {
  requestStart: number;
  response: number;
  server: number;
  bytes: number;
  redrawn: number | null;
}
interface LoadResult {
  atInteractive: PageReport;
  settled: PageReport;
  settledInTime: boolean;
  heapAfterGc: number;
  rendererRss: number;
  renderers: number;
  zoom: ZoomResult | null;
  zoomBusy: ZoomResult | null;
}

// ---- seed ------------------------------------------------------------------------------------------
const db = await openTestDatabase();
if (db.target.kind !== "postgres") {
  await db.drop();
  throw new Error("set DATABASE_URL=postgresql://… (the benchmark needs PostgreSQL)");
}
let web: Proc | undefined;
let browser: Browser | undefined;
let cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  await browser?.close().catch(() => undefined);
  await web?.stop();
  await db.drop();
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}
try {
  const { user, team, session } = await seedOwnerWithSession(db.prisma);
  const base = defaultRunConfig();
  const config = RunConfigSchema.parse({
    ...base,
    algorithm: "bupo",
    name: "bench 100k × 36 layers",
    rl: { ...base.rl, totalSteps: STEPS, iterativeSteps: Math.min(30, STEPS) },
    schedule: { ...base.schedule, entropyEvery: 1 },
  });
  const run = await db.prisma.run.create({
    data: {
      teamId: team.id,
      creatorId: user.id,
      name: config.name,
      kind: "TRAIN",
      algorithm: "BUPO",
      modelFamily: "QWEN3",
      config,
      tags: [],
      totalSteps: STEPS,
      lastStep: STEPS,
      status: "SUCCEEDED",
      attempt: 1,
      startedAt: new Date(Date.now() - 86_400_000),
      finishedAt: new Date(),
    },
  });

  log(`inserting ${STEPS} RunMetric rows (${L} layers) …`);
  const tInsert = performance.now();
  await db.prisma.$executeRawUnsafe(VARIANT_SQL);
  const CHUNK = 10_000;
  const chunks: [number, number][] = [];
  for (let from = 1; from <= STEPS; from += CHUNK) chunks.push([from, Math.min(STEPS, from + CHUNK - 1)]);
  // Two statements at a time (INSERT … SELECT is single-threaded; the pool holds 4 connections).
  const queue = [...chunks];
  await Promise.all(
    [0, 1].map(async () => {
      for (let c = queue.shift(); c; c = queue.shift())
        await db.prisma.$executeRawUnsafe(INSERT_SQL, run.id, c[0], c[1]);
    }),
  );
  await db.prisma.$executeRawUnsafe("DROP TABLE bench_layer_variant");
  const insertMs = performance.now() - tInsert;
  const tVacuum = performance.now();
  await db.prisma.$executeRawUnsafe(
    `UPDATE "RunMetric" SET "scalarValues" = ${SCALAR_VALUES_FROM_JSON_SQL} WHERE "runId" = $1`,
    run.id,
  );
  await db.prisma.$executeRawUnsafe('VACUUM (ANALYZE) "RunMetric"');
  const vacuumMs = performance.now() - tVacuum;
  const [size] = await db.prisma.$queryRawUnsafe<{ rows: bigint; bytes: bigint }[]>(
    `SELECT (SELECT count(*) FROM "RunMetric") AS rows, pg_total_relation_size('"RunMetric"') AS bytes`,
  );
  log(
    `inserted ${size!.rows} rows in ${(insertMs / 1000).toFixed(1)} s (VACUUM ANALYZE ${(vacuumMs / 1000).toFixed(1)} s), table ${mb(Number(size!.bytes))}`,
  );

  // ---- web server and browser -----------------------------------------------------------------------
  web = await startWeb({ databaseUrl: db.target.url, trainerUrls: [], token: newToken() });
  const webPid = web.child.pid!;
  const webRssStart = rssOf(webPid);
  const url = `${web.url}/runs/${run.id}`;
  browser = await chromium.launch({
    executablePath: args.chromium,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--enable-precise-memory-info",
    ],
  });
  const browserCdp = await browser.newBrowserCDPSession();
  const renderersRss = async () => {
    const info = (await browserCdp.send("SystemInfo.getProcessInfo")) as {
      processInfo: { type: string; id: number }[];
    };
    const rss = info.processInfo.filter((p) => p.type === "renderer").map((p) => rssOf(p.id));
    return { max: Math.max(...rss.filter(Number.isFinite)), count: rss.length };
  };

  /** Waits until no tRPC request has been in flight for 500 ms (requests counted from the page's events). */
  const inflight = new WeakMap<Page, number>();
  const track = (page: Page) => {
    inflight.set(page, 0);
    const isTrpc = (u: string) => u.includes("/api/trpc/");
    page.on("request", (r) => isTrpc(r.url()) && inflight.set(page, inflight.get(page)! + 1));
    const done = (u: string) => isTrpc(u) && inflight.set(page, inflight.get(page)! - 1);
    page.on("requestfinished", (r) => done(r.url()));
    page.on("requestfailed", (r) => done(r.url()));
  };
  const quiet = async (page: Page) => {
    let since = Date.now();
    const end = Date.now() + 30_000;
    while (Date.now() < end) {
      if (inflight.get(page)! > 0) since = Date.now();
      else if (Date.now() - since >= 500) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  /** Drag-selects [from, to] (fractions of the width) on the first chart; mouseup → response → redraw. */
  const dragZoom = async (page: Page, from: number, to: number): Promise<ZoomResult | null> => {
    const box = (await page
      .locator("[data-testid=metric-charts] > figure")
      .first()
      .locator(".u-over")
      .boundingBox())!;
    await page.evaluate("window.__bench.armZoom()");
    await new Promise((r) => setTimeout(r, 100));
    const y = box.y + box.height * 0.5;
    const responded = page.waitForResponse(
      (r) => r.url().includes("run.series") && decodeURIComponent(r.url()).includes('"range":{"from"'),
      { timeout: 60_000 },
    );
    await page.mouse.move(box.x + box.width * from, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * ((from + to) / 2), y, { steps: 4 });
    await page.mouse.move(box.x + box.width * to, y, { steps: 4 });
    await page.mouse.up();
    await responded;
    await page
      .waitForFunction(
        "(() => { const z = window.__bench.zoomResult(); return z && z.redrawn != null; })()",
        undefined,
        {
          timeout: 6000,
        },
      )
      .catch(() => undefined);
    return (await page.evaluate("window.__bench.zoomResult()")) as ZoomResult | null;
  };

  const report = async (page: Page) => (await page.evaluate("window.__bench.report()")) as PageReport;

  async function loadOnce(label: string): Promise<LoadResult> {
    const context: BrowserContext = await browser!.newContext({ viewport: VIEWPORT });
    try {
      await context.addCookies([{ name: "bupo_session", value: session, url: web!.url }]);
      await context.addInitScript({
        content: `const BLOCK_SOCKET = ${args["block-socket"]};\n${PAGE_PROBE}`,
      });
      const page = await context.newPage();
      track(page);
      await page.goto(url, { waitUntil: "commit" });
      await page.waitForFunction(
        "window.__bench && window.__bench.marks.allCharts != null && window.__bench.marks.heatmap != null",
        undefined,
        { polling: "raf", timeout: 120_000 },
      );
      await page.evaluate("window.__bench.armInput()");
      const firstChart = page.locator("[data-testid=metric-charts] > figure").first().locator(".u-over");
      const box = (await firstChart.boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
      await page.waitForFunction("window.__bench.marks.interactive != null", undefined, { timeout: 60_000 });
      const atInteractive = await report(page);
      const m = atInteractive.marks;
      log(
        `${label}: first chart ${ms(m.firstChart!)}, all charts ${ms(m.allCharts!)}, heatmap ${ms(m.heatmap!)}, interactive ${ms(m.interactive!)}`,
      );

      // Zoom while the page is still busy (what a user gets right after opening it): drag 40–50 % of the width.
      const zoomBusy = await dragZoom(page, 0.4, 0.5);
      log(
        `${label}: drag zoom (busy) → response ${ms(zoomBusy?.response ?? Number.NaN)}, redrawn ${ms(zoomBusy?.redrawn ?? Number.NaN)}`,
      );

      // Settle: wait until the Socket.IO backfill stops (no message for 2 s), at most SETTLE_MS.
      const t0 = Date.now();
      let settledInTime = false;
      for (;;) {
        const ws = (await page.evaluate("({ last: window.__bench.ws.last, now: performance.now() })")) as {
          last: number;
          now: number;
        };
        if (ws.now - Math.max(ws.last, m.interactive!) > 2000) {
          settledInTime = true;
          break;
        }
        if (Date.now() - t0 > SETTLE_MS) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      const reset = page.getByRole("button", { name: /reset zoom/ }).first();
      if (await reset.count()) await reset.click();
      await quiet(page);
      const settled = await report(page);
      const cdp = await context.newCDPSession(page);
      await cdp.send("HeapProfiler.collectGarbage");
      await cdp.send("Performance.enable");
      const metrics = (await cdp.send("Performance.getMetrics")).metrics;
      const heapAfterGc = metrics.find((x) => x.name === "JSHeapUsedSize")?.value ?? Number.NaN;
      const rss = await renderersRss();
      log(
        `${label}: backfill ${settled.ws.frames} messages, ${mb(settled.ws.chars)} until ${ms(settled.ws.last)}${settledInTime ? "" : " (still running)"}; heap ${mb(heapAfterGc)}, renderer RSS ${mb(rss.max)}`,
      );

      // Zoom on the settled page: another 10 % (60–70 %), so nothing comes from the query cache.
      const zoom = await dragZoom(page, 0.6, 0.7);
      log(
        `${label}: drag zoom (settled) → response ${ms(zoom?.response ?? Number.NaN)}, redrawn ${ms(zoom?.redrawn ?? Number.NaN)}`,
      );
      return {
        atInteractive,
        settled,
        settledInTime,
        heapAfterGc,
        rendererRss: rss.max,
        renderers: rss.count,
        zoom,
        zoomBusy,
      };
    } finally {
      await context.close();
      // The server keeps backfilling a closed socket; start the next load on an idle server.
      await serverIdle(webPid);
    }
  }

  const loadAtStart = os.loadavg()[0]!;
  const warmup = await loadOnce("warm-up");
  const loads: LoadResult[] = [];
  for (let i = 0; i < LOADS; i++) loads.push(await loadOnce(`load ${i + 1}/${LOADS}`));
  await browser.close();
  browser = undefined;
  const webRssAfterLoads = rssOf(webPid);

  // ---- run.series / run.layerMatrix over HTTP (browser closed, nothing else running) -----------------
  const cookie = `bupo_session=${session}`;
  const query = async (proc: string, input: object) => {
    const u = `${web!.url}/api/trpc/${proc}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
    const t0 = performance.now();
    const res = await fetch(u, { headers: { cookie } });
    const headers = performance.now() - t0;
    const body = await res.text();
    if (!res.ok) throw new Error(`${proc} → ${res.status}: ${body.slice(0, 300)}`);
    return { headers, total: performance.now() - t0, bytes: body.length };
  };
  const many = async (
    n: number,
    f: (i: number) => Promise<{ headers: number; total: number; bytes: number }>,
  ) => {
    const rs = [];
    for (let i = 0; i < n; i++) rs.push(await f(i));
    return {
      total: median(rs.map((r) => r.total)),
      headers: median(rs.map((r) => r.headers)),
      max: Math.max(...rs.map((r) => r.total)),
      bytes: median(rs.map((r) => r.bytes)),
    };
  };
  const width = Math.max(1, Math.round(STEPS / 10));
  const zoomRange = (i: number) => {
    const from = 1 + Math.round(((STEPS - width) * (i + 0.5)) / ZOOMS);
    return { from, to: from + width - 1 };
  };
  await query("run.series", { runId: run.id, keys: KEYS, range: zoomRange(0), buckets: 1000 }); // warm-up
  const httpZoom = await many(ZOOMS, (i) =>
    query("run.series", { runId: run.id, keys: KEYS, range: zoomRange(i), buckets: 1000 }),
  );
  const httpFull = await many(5, () =>
    query("run.series", { runId: run.id, keys: KEYS, range: null, buckets: 1000 }),
  );
  const httpMatrix = await many(5, () =>
    query("run.layerMatrix", { runId: run.id, field: "layerEntropy", range: null, buckets: 200 }),
  );
  const httpProfile = await many(5, () => query("run.layerProfile", { runId: run.id }));
  const httpGet = await many(5, () => query("run.get", { runId: run.id }));

  // ---- report ----------------------------------------------------------------------------------------
  const at = (f: (r: LoadResult) => number) => median(loads.map(f));
  const mark = (k: string) => at((r) => r.atInteractive.marks[k] ?? Number.NaN);
  const ttfc = mark("firstChart");
  const tti = mark("interactive");
  const proc = (r: LoadResult, k: "runGet" | "series" | "matrix" | "profile") => r.atInteractive[k];
  const seriesServer = at((r) => {
    const s = proc(r, "series");
    return s ? s.responseStart - s.requestStart : Number.NaN;
  });
  const dragResponse = at((r) => r.zoom?.response ?? Number.NaN);
  const dragRedraw = at((r) => r.zoom?.redrawn ?? Number.NaN);
  const busyResponse = at((r) => r.zoomBusy?.response ?? Number.NaN);
  const busyRedraw = at((r) => r.zoomBusy?.redrawn ?? Number.NaN);
  const dragServer = at((r) => r.zoom?.server ?? Number.NaN);
  const longBefore = (r: LoadResult, until: number) =>
    r.settled.longTasks.filter(([s]) => s < until).reduce((a, [, d]) => a + d, 0);
  const heapTti = at((r) => r.atInteractive.heap ?? Number.NaN);
  const heapSettled = at((r) => r.settled.heap ?? Number.NaN);
  const first = loads[0]!;
  const batchProcs = first.atInteractive.series?.procs ?? "n/a";

  console.log(
    `\n### Run page, ${STEPS.toLocaleString("en")} steps × ${L} layers (median of ${LOADS} cold loads${args["block-socket"] ? "; WebSocket blocked: no backfill, no live refetch" : ""})\n`,
  );
  console.log("| measure | value | target |\n|---|---|---|");
  console.log(
    `| seed: RunMetric rows inserted (INSERT … SELECT generate_series) | ${Number(size!.rows).toLocaleString("en")} rows in ${(insertMs / 1000).toFixed(1)} s (+ VACUUM ANALYZE ${(vacuumMs / 1000).toFixed(1)} s), table ${mb(Number(size!.bytes))} | — |`,
  );
  console.log(
    `| time to first chart (uPlot canvas with the series painted) | ${ms(ttfc)} | ≤ ${TARGET_LOAD_MS} ms ${check(ttfc, TARGET_LOAD_MS)} |`,
  );
  console.log(`| all ${first.atInteractive.charts} metric charts painted | ${ms(mark("allCharts"))} | — |`);
  console.log(
    `| layer heatmap painted (${first.atInteractive.heatmap?.layers ?? "?"} layers × ${first.atInteractive.heatmap?.steps ?? "?"} columns) | ${ms(mark("heatmap"))} | — |`,
  );
  console.log(
    `| time to interactive (all painted + mouse move handled + next frame) | ${ms(tti)} | ≤ ${TARGET_LOAD_MS} ms ${check(tti, TARGET_LOAD_MS)} |`,
  );
  console.log(`| input delay of that mouse move | ${ms(at((r) => r.atInteractive.inputDelay))} | — |`);
  console.log(`| run.series server time in the page (batch: ${batchProcs}) | ${ms(seriesServer)} | — |`);
  console.log(
    `| run.series alone over HTTP, full range, 1000 buckets × ${KEYS.length} keys (median of 5) | ${ms(httpFull.total)} (${(httpFull.bytes / 1024).toFixed(0)} KB) | — |`,
  );
  console.log(
    `| zoom re-query: run.series over HTTP, ${width.toLocaleString("en")}-step range (median of ${ZOOMS}, max) | ${ms(httpZoom.total)} (max ${ms(httpZoom.max)}, ${(httpZoom.bytes / 1024).toFixed(0)} KB) | ≤ ${TARGET_ZOOM_MS} ms ${check(httpZoom.total, TARGET_ZOOM_MS)} |`,
  );
  console.log(
    `| zoom by drag-select, settled page: mouseup → re-queried run.series response (server ${ms(dragServer)}) | ${ms(dragResponse)} | ≤ ${TARGET_ZOOM_MS} ms ${check(dragResponse, TARGET_ZOOM_MS)} |`,
  );
  console.log(
    `| zoom by drag-select, settled page: mouseup → chart redrawn with the new data | ${ms(dragRedraw)} | — |`,
  );
  console.log(
    `| zoom by drag-select right after interactive (backfill running): response / redrawn | ${ms(busyResponse)} / ${ms(busyRedraw)} | ≤ ${TARGET_ZOOM_MS} ms ${check(busyResponse, TARGET_ZOOM_MS)} |`,
  );
  console.log(
    `| tab JS heap (performance.memory) at interactive / settled | ${mb(heapTti)} / ${mb(heapSettled)} | — |`,
  );
  console.log(`| tab JS heap after GC (CDP JSHeapUsedSize), settled | ${mb(at((r) => r.heapAfterGc))} | — |`);
  console.log(
    `| renderer RSS, settled (largest of ${first.renderers} renderer processes) | ${mb(at((r) => r.rendererRss))} | — |`,
  );
  console.log(
    `| web server RSS: start / after ${LOADS + 1} loads | ${mb(webRssStart)} / ${mb(webRssAfterLoads)} | — |`,
  );
  console.log(
    `| machine: CPUs / 1-min load average at the first load / at the end | ${os.cpus().length} / ${loadAtStart.toFixed(1)} / ${os.loadavg()[0]!.toFixed(1)} | — |`,
  );

  console.log("\n### Where the time goes (page clock, ms from navigation start; per load)\n");
  console.log(
    "| load | doc TTFB | DCL | run.get start→end | batch start | batch server | batch end | batch bytes | first chart | all charts | heatmap | interactive | long tasks ≤ TTI (n / Σ ms) | socket msgs ≤ TTI | backfill total | backfill end |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const [i, r] of [warmup, ...loads].entries()) {
    const a = r.atInteractive;
    const s = a.series;
    const g = a.runGet;
    const doneAt = a.marks.interactive ?? Number.NaN;
    const lt = r.settled.longTasks.filter(([st]) => st < doneAt);
    console.log(
      `| ${i === 0 ? "warm-up" : i} | ${a.nav.ttfb.toFixed(0)} | ${a.nav.domContentLoaded.toFixed(0)} | ${g ? `${g.start.toFixed(0)}→${g.end.toFixed(0)}` : "n/a"} | ${s ? s.start.toFixed(0) : "n/a"} | ${s ? (s.responseStart - s.requestStart).toFixed(0) : "n/a"} | ${s ? s.end.toFixed(0) : "n/a"} | ${s ? `${(s.bytes / 1024).toFixed(0)} KB` : "n/a"} | ${(a.marks.firstChart ?? Number.NaN).toFixed(0)} | ${(a.marks.allCharts ?? Number.NaN).toFixed(0)} | ${(a.marks.heatmap ?? Number.NaN).toFixed(0)} | ${doneAt.toFixed(0)} | ${lt.length} / ${longBefore(r, doneAt).toFixed(0)} | ${a.ws.frames} (${mb(a.ws.chars)}) | ${r.settled.ws.frames} msgs, ${mb(r.settled.ws.chars)} | ${r.settled.ws.last.toFixed(0)}${r.settledInTime ? "" : " (not done)"} |`,
    );
  }
  console.log(
    `\nJS downloaded per cold load: ${mb(first.atInteractive.scripts)}; tRPC requests until settled: ${first.settled.trpcRequests}; long tasks until settled: ${first.settled.longTasks.length} (Σ ${longBefore(first, Number.POSITIVE_INFINITY).toFixed(0)} ms).`,
  );
  console.log(
    "\n| HTTP (median of 5, browser closed) | time to headers | total | bytes |\n|---|---|---|---|",
  );
  for (const [name, h] of [
    ["run.get", httpGet],
    ["run.series, full range", httpFull],
    [`run.series, ${width}-step range`, httpZoom],
    ["run.layerMatrix layerEntropy, 200 buckets", httpMatrix],
    ["run.layerProfile, latest", httpProfile],
  ] as const) {
    console.log(`| ${name} | ${ms(h.headers)} | ${ms(h.total)} | ${(h.bytes / 1024).toFixed(0)} KB |`);
  }
} finally {
  await cleanup();
}
process.exit(0);
