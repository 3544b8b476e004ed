/**
 * Fills a Hugging Face hub cache folder with two small models of the paper's two families, in the real cache
 * layout (blobs, snapshots/<rev> symlinks, refs/main), real vocabularies and tokenizers, synthetic weights:
 * `Qwen/Qwen3-0.6B` (tiny: d 64, 4 layers) and `meta-llama/Llama-3.2-1B` (tiny). For end-to-end tests and demos.
 *
 * ```sh
 * cd apps/trainer && npx tsx scripts/hub-cache-fixture.ts --out /tmp/hub   # then HF_HUB_CACHE=/tmp/hub
 * ```
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { hubCacheFolder, writeTinyHubModel } from "../src/library/hub-cache-layout.ts";

const FIXTURE_MODELS = [
  { repoId: "Qwen/Qwen3-0.6B", model: "Qwen3-0.6B", revision: "c1899de289a04d12100db370d81485cdf75e47ca" },
  {
    repoId: "meta-llama/Llama-3.2-1B",
    model: "Llama-3.2-1B",
    revision: "4e20de362430cd3b72f300e6b0f18e50e7166e08",
  },
] as const;

const { values } = parseArgs({ options: { out: { type: "string" } } });
if (values.out === undefined) {
  process.stderr.write("hub-cache-fixture: --out DIR is required\n");
  process.exit(2);
}
for (const m of FIXTURE_MODELS) {
  if (existsSync(`${values.out}/${hubCacheFolder(m.repoId)}`)) continue;
  const ref = await writeTinyHubModel(values.out, { repoId: m.repoId, revision: m.revision, model: m.model });
  process.stdout.write(`${m.repoId}: hf-cache:${ref}\n`);
}
