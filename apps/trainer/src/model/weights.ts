/**
 * The explicit weights record of the model. Every tensor is a `tf.Variable` in Hugging Face layout and
 * orientation (linear weights are [out, in], as `torch.nn.Linear` stores them; the model multiplies with
 * `transposeB`). With tied embeddings `lmHead` IS `embedTokens` (the same Variable object and buffer).
 */
import * as tf from "@tensorflow/tfjs";
import type { ModelConfig } from "./config.ts";

export interface AttentionWeights {
  qProj: tf.Variable; // [H*hd, d]
  kProj: tf.Variable; // [KV*hd, d]
  vProj: tf.Variable; // [KV*hd, d]
  oProj: tf.Variable; // [d, H*hd]
  qBias?: tf.Variable; // [H*hd]   (attentionBias)
  kBias?: tf.Variable; // [KV*hd]  (attentionBias)
  vBias?: tf.Variable; // [KV*hd]  (attentionBias)
  qNorm?: tf.Variable; // [hd]     (qkNorm)
  kNorm?: tf.Variable; // [hd]     (qkNorm)
}

export interface MlpWeights {
  gateProj: tf.Variable; // [I, d]
  upProj: tf.Variable; // [I, d]
  downProj: tf.Variable; // [d, I]
}

export interface LayerWeights {
  inputLayernorm: tf.Variable; // [d]
  selfAttn: AttentionWeights;
  postAttentionLayernorm: tf.Variable; // [d]
  mlp: MlpWeights;
}

export interface ModelWeights {
  embedTokens: tf.Variable; // [V, d]  E
  layers: LayerWeights[]; // L entries, 0-based (paper layer l = index + 1)
  norm: tf.Variable; // [d]  final RMSNorm
  lmHead: tf.Variable; // [V, d]  W_U; === embedTokens when tieWordEmbeddings
}

/** How a freshly initialised tensor is filled (transformers `_init_weights`). */
export type WeightInit = "normal" | "ones" | "zeros";

export interface WeightSpec {
  /** Hugging Face state-dict name, e.g. `model.layers.0.self_attn.q_proj.weight`. */
  name: string;
  shape: number[];
  init: WeightInit;
}

/** One trainable tensor with its Hugging Face name. */
export interface NamedParameter {
  name: string;
  variable: tf.Variable;
}

/** Every tensor of the model in HF state-dict order; `lm_head.weight` only when untied. */
export function weightSpecs(c: ModelConfig): WeightSpec[] {
  const d = c.hiddenSize;
  const q = c.numHeads * c.headDim;
  const kv = c.numKvHeads * c.headDim;
  const specs: WeightSpec[] = [
    { name: "model.embed_tokens.weight", shape: [c.vocabSize, d], init: "normal" },
  ];
  for (let i = 0; i < c.numLayers; i++) {
    const p = `model.layers.${i}`;
    specs.push(
      { name: `${p}.self_attn.q_proj.weight`, shape: [q, d], init: "normal" },
      { name: `${p}.self_attn.k_proj.weight`, shape: [kv, d], init: "normal" },
      { name: `${p}.self_attn.v_proj.weight`, shape: [kv, d], init: "normal" },
    );
    if (c.attentionBias) {
      specs.push(
        { name: `${p}.self_attn.q_proj.bias`, shape: [q], init: "zeros" },
        { name: `${p}.self_attn.k_proj.bias`, shape: [kv], init: "zeros" },
        { name: `${p}.self_attn.v_proj.bias`, shape: [kv], init: "zeros" },
      );
    }
    specs.push({ name: `${p}.self_attn.o_proj.weight`, shape: [d, q], init: "normal" });
    if (c.qkNorm) {
      specs.push(
        { name: `${p}.self_attn.q_norm.weight`, shape: [c.headDim], init: "ones" },
        { name: `${p}.self_attn.k_norm.weight`, shape: [c.headDim], init: "ones" },
      );
    }
    specs.push(
      { name: `${p}.mlp.gate_proj.weight`, shape: [c.intermediateSize, d], init: "normal" },
      { name: `${p}.mlp.up_proj.weight`, shape: [c.intermediateSize, d], init: "normal" },
      { name: `${p}.mlp.down_proj.weight`, shape: [d, c.intermediateSize], init: "normal" },
      { name: `${p}.input_layernorm.weight`, shape: [d], init: "ones" },
      { name: `${p}.post_attention_layernorm.weight`, shape: [d], init: "ones" },
    );
  }
  specs.push({ name: "model.norm.weight", shape: [d], init: "ones" });
  if (!c.tieWordEmbeddings) specs.push({ name: "lm_head.weight", shape: [c.vocabSize, d], init: "normal" });
  return specs;
}

/**
 * Creates the variables from `make(spec)` (called once per spec, inside a tidy, so no second copy survives) and
 * assembles the record. Throws naming the tensor when `make` returns a wrong shape. On error, variables created
 * so far are disposed.
 */
export function buildWeights(c: ModelConfig, make: (spec: WeightSpec) => tf.Tensor): ModelWeights {
  const byName = new Map<string, tf.Variable>();
  try {
    for (const spec of weightSpecs(c)) {
      const v = tf.tidy(() => {
        const t = make(spec);
        if (!tf.util.arraysEqual(t.shape, spec.shape)) {
          throw new Error(`Tensor ${spec.name} has shape [${t.shape}], expected [${spec.shape}]`);
        }
        return tf.variable(t.toFloat(), true);
      });
      byName.set(spec.name, v);
    }
  } catch (err) {
    for (const v of byName.values()) v.dispose();
    throw err;
  }
  const get = (name: string): tf.Variable => {
    const v = byName.get(name);
    if (v === undefined) throw new Error(`internal: weight ${name} not built`);
    return v;
  };
  const opt = (name: string): tf.Variable | undefined => byName.get(name);
  const layers: LayerWeights[] = [];
  for (let i = 0; i < c.numLayers; i++) {
    const p = `model.layers.${i}`;
    const selfAttn: AttentionWeights = {
      qProj: get(`${p}.self_attn.q_proj.weight`),
      kProj: get(`${p}.self_attn.k_proj.weight`),
      vProj: get(`${p}.self_attn.v_proj.weight`),
      oProj: get(`${p}.self_attn.o_proj.weight`),
    };
    const optional = {
      qBias: opt(`${p}.self_attn.q_proj.bias`),
      kBias: opt(`${p}.self_attn.k_proj.bias`),
      vBias: opt(`${p}.self_attn.v_proj.bias`),
      qNorm: opt(`${p}.self_attn.q_norm.weight`),
      kNorm: opt(`${p}.self_attn.k_norm.weight`),
    };
    for (const [k, v] of Object.entries(optional))
      if (v !== undefined) selfAttn[k as keyof typeof optional] = v;
    layers.push({
      inputLayernorm: get(`${p}.input_layernorm.weight`),
      selfAttn,
      postAttentionLayernorm: get(`${p}.post_attention_layernorm.weight`),
      mlp: {
        gateProj: get(`${p}.mlp.gate_proj.weight`),
        upProj: get(`${p}.mlp.up_proj.weight`),
        downProj: get(`${p}.mlp.down_proj.weight`),
      },
    });
  }
  const embedTokens = get("model.embed_tokens.weight");
  return {
    embedTokens,
    layers,
    norm: get("model.norm.weight"),
    lmHead: c.tieWordEmbeddings ? embedTokens : get("lm_head.weight"),
  };
}

/**
 * Trainable variables with their HF names, in state-dict order. Tied `lm_head` is not listed separately (it is
 * `model.embed_tokens.weight`). Use for optimizers (`varList`) and per-layer gradient-routing checks
 * (`tf.variableGrads` keys are `variable.name`; map them back through this list).
 */
export function namedParameters(w: ModelWeights, c: ModelConfig): NamedParameter[] {
  const out: NamedParameter[] = [{ name: "model.embed_tokens.weight", variable: w.embedTokens }];
  w.layers.forEach((l, i) => {
    const p = `model.layers.${i}`;
    const a = l.selfAttn;
    out.push(
      { name: `${p}.self_attn.q_proj.weight`, variable: a.qProj },
      { name: `${p}.self_attn.k_proj.weight`, variable: a.kProj },
      { name: `${p}.self_attn.v_proj.weight`, variable: a.vProj },
    );
    if (a.qBias && a.kBias && a.vBias) {
      out.push(
        { name: `${p}.self_attn.q_proj.bias`, variable: a.qBias },
        { name: `${p}.self_attn.k_proj.bias`, variable: a.kBias },
        { name: `${p}.self_attn.v_proj.bias`, variable: a.vBias },
      );
    }
    out.push({ name: `${p}.self_attn.o_proj.weight`, variable: a.oProj });
    if (a.qNorm && a.kNorm) {
      out.push(
        { name: `${p}.self_attn.q_norm.weight`, variable: a.qNorm },
        { name: `${p}.self_attn.k_norm.weight`, variable: a.kNorm },
      );
    }
    out.push(
      { name: `${p}.mlp.gate_proj.weight`, variable: l.mlp.gateProj },
      { name: `${p}.mlp.up_proj.weight`, variable: l.mlp.upProj },
      { name: `${p}.mlp.down_proj.weight`, variable: l.mlp.downProj },
      { name: `${p}.input_layernorm.weight`, variable: l.inputLayernorm },
      { name: `${p}.post_attention_layernorm.weight`, variable: l.postAttentionLayernorm },
    );
  });
  out.push({ name: "model.norm.weight", variable: w.norm });
  if (!c.tieWordEmbeddings && w.lmHead !== w.embedTokens)
    out.push({ name: "lm_head.weight", variable: w.lmHead });
  return out;
}

/** Disposes every variable once (tied lm_head is the embedding and is not disposed twice). */
export function disposeWeights(w: ModelWeights): void {
  const seen = new Set<tf.Variable>();
  const all = [w.embedTokens, w.norm, w.lmHead];
  for (const l of w.layers) {
    all.push(l.inputLayernorm, l.postAttentionLayernorm, l.mlp.gateProj, l.mlp.upProj, l.mlp.downProj);
    for (const v of Object.values(l.selfAttn)) if (v) all.push(v);
  }
  for (const v of all) {
    if (seen.has(v)) continue;
    seen.add(v);
    v.dispose();
  }
}
