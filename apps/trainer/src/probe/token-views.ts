/**
 * Token × layer views of an analysis job's first samples (issue 12): the logit lens of each shown position at
 * every depth (entropy and top-k tokens, decoded), stored with the result so the run page draws them without
 * asking the trainer again. Bounded by TOKEN_VIEW_LIMITS: a few samples, a window of positions starting at the
 * last prompt token (it predicts the first pooled token), and a cap on cells in all.
 */
import { TOKEN_VIEW_LIMITS, type TokenView } from "@bupo/shared";
import { logitLens } from "../analysis/logit-lens.ts";
import type { LensMode } from "../analysis/types.ts";
import type { ProbeModel } from "./model-source.ts";
import type { ProbeSample } from "./samples.ts";
import { printable } from "./tokenizer.ts";

const TEXT_MAX = 500;
const TOKEN_MAX = 64;

/** Positions shown for a sample: from the token before its pooled range, at most `limit` of them. */
export function viewPositions(sample: ProbeSample, limit: number): number[] {
  const [start, end] = sample.range;
  const from = Math.max(0, start - 1);
  const to = Math.min(sample.tokens.length, Math.max(end, from + 1), from + limit);
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** The views of the first samples within TOKEN_VIEW_LIMITS; leaves no tensors behind. */
export async function buildTokenViews(
  model: Pick<ProbeModel, "config" | "weights" | "tokenizer">,
  samples: readonly ProbeSample[],
  opts: { lens: LensMode; trueLastLayer: boolean },
): Promise<TokenView[]> {
  const rowsPerPosition = model.config.numLayers + 1;
  const label = (id: number) => (model.tokenizer ? model.tokenizer.label(id) : `<${id}>`).slice(0, TOKEN_MAX);
  const text = (ids: readonly number[]) =>
    printable(model.tokenizer ? model.tokenizer.decode(ids) : ids.join(" ")).slice(0, TEXT_MAX);
  let cellsLeft = TOKEN_VIEW_LIMITS.cells;
  const views: TokenView[] = [];
  for (const sample of samples.slice(0, TOKEN_VIEW_LIMITS.samples)) {
    const fit = Math.min(TOKEN_VIEW_LIMITS.positions, Math.floor(cellsLeft / rowsPerPosition));
    const positions = viewPositions(sample, fit);
    if (positions.length === 0) break;
    cellsLeft -= positions.length * rowsPerPosition;
    const grid = await logitLens(model.weights, model.config, sample.tokens, {
      topK: TOKEN_VIEW_LIMITS.topK,
      lens: opts.lens,
      trueLastLayer: opts.trueLastLayer,
      positions,
    });
    const [start, end] = sample.range;
    views.push({
      prompt: text(sample.tokens.slice(0, start)),
      answer: text(sample.tokens.slice(start, end)),
      positionTokens: positions.map((p) => label(sample.tokens[p] as number)),
      rows: grid.cells.map((row) =>
        row.map((cell) => ({
          tokens: cell.tokenIds.map(label),
          probs: cell.probs.map((p) => Math.min(1, Math.max(0, round(p, 4)))),
          entropy: Math.max(0, round(cell.entropy, 4)),
        })),
      ),
    });
  }
  return views;
}
