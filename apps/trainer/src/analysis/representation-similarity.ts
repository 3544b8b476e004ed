/**
 * Similarity of two representations of the same tokens (issue 15, "feature refinement"): rows are tokens,
 * columns features; the two matrices may have different widths (e.g. two checkpoints of different sizes).
 *
 * - Mean token-wise cosine: mean over tokens t of cos(x_t, y_t) (needs equal widths).
 * - Linear CKA (Kornblith et al. 2019): with column-centred X, Y,
 *     CKA = ‖YᵀX‖²_F / (‖XᵀX‖_F · ‖YᵀY‖_F) = ⟨K, L⟩_F / (‖K‖_F · ‖L‖_F),  K = XXᵀ, L = YYᵀ (token × token).
 *   Computed in the smaller of the two forms (tokens × tokens Gram or feature × feature). Each centred matrix is
 *   first divided by its Frobenius norm (CKA is scale-invariant), so every product stays ≤ 1 in float32 whatever
 *   the activation scale (real residual streams reach 10³).
 * All functions are synchronous tf ops inside `tf.tidy`; the caller owns the returned tensor.
 */
import * as tf from "@tensorflow/tfjs";

/** Below this a norm counts as zero (a constant representation): cosine and CKA are then 0, never NaN. */
const TINY = 1e-30;

/** X − column means, divided by its Frobenius norm: [N, d] → [N, d] (all zeros for a constant X). */
function centeredUnit(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const xc = tf.sub(x, tf.mean(x, 0, true)); // [N, d]
    const norm = tf.maximum(tf.norm(xc), TINY); // []
    return tf.div(xc, norm) as tf.Tensor2D; // [N, d]
  });
}

/** ‖A‖_F² of a matrix: [] */
const sqFrobenius = (a: tf.Tensor): tf.Scalar => tf.sum(tf.square(a));

/**
 * Centred Gram matrix of the rows, scaled to unit Frobenius norm: K = XcXcᵀ / ‖XcXcᵀ‖_F, [N, d] → [N, N].
 * Linear CKA of two such matrices over the same tokens is their Frobenius inner product ({@link ckaFromGrams}),
 * whatever the widths — the form used to compare layers of different models.
 */
export function centeredGram(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const xc = centeredUnit(x); // [N, d]
    const k = tf.matMul(xc, xc, false, true); // [N, N]
    return tf.div(k, tf.maximum(tf.norm(k), TINY)) as tf.Tensor2D; // [N, N], ‖K‖_F = 1
  });
}

/** Linear CKA of two unit-norm centred Grams ({@link centeredGram}) of the same N tokens: ⟨K, L⟩_F, a scalar. */
export function ckaFromGrams(k: tf.Tensor2D, l: tf.Tensor2D): tf.Scalar {
  if (k.shape[0] !== l.shape[0]) throw new Error(`Gram sizes differ: ${k.shape[0]} vs ${l.shape[0]} tokens`);
  return tf.tidy(() => tf.sum(tf.mul(k, l))); // []
}

/**
 * Linear CKA between x [N, d1] and y [N, d2] (same tokens, any widths), in [0, 1]. Uses the Gram form when
 * N < d1 + d2 (cost N²(d1+d2)), else the feature form ‖YᵀX‖²_F / (‖XᵀX‖_F‖YᵀY‖_F) (cost N(d1+d2)²).
 */
export function linearCka(x: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
  const [n, d1] = x.shape;
  const [ny, d2] = y.shape;
  if (n !== ny) throw new Error(`token counts differ: ${n} vs ${ny}`);
  return tf.tidy(() => {
    if (n < d1 + d2) {
      const k = centeredGram(x); // [N, N]
      const l = centeredGram(y); // [N, N]
      return ckaFromGrams(k, l); // []
    }
    const xc = centeredUnit(x); // [N, d1]
    const yc = centeredUnit(y); // [N, d2]
    const cross = sqFrobenius(tf.matMul(yc, xc, true, false)); // ‖YᵀX‖²  (YᵀX [d2, d1])
    const xx = tf.sqrt(sqFrobenius(tf.matMul(xc, xc, true, false))); // ‖XᵀX‖  (XᵀX [d1, d1])
    const yy = tf.sqrt(sqFrobenius(tf.matMul(yc, yc, true, false))); // ‖YᵀY‖  (YᵀY [d2, d2])
    return tf.div(cross, tf.maximum(tf.mul(xx, yy), TINY)) as tf.Scalar; // []
  });
}

/** cos(x_t, y_t) per token: x, y [N, d] → [N] (0 where either row is zero). */
export function tokenCosines(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor1D {
  if (x.shape[1] !== y.shape[1]) throw new Error(`widths differ: ${x.shape[1]} vs ${y.shape[1]}`);
  return tf.tidy(() => {
    const dot = tf.sum(tf.mul(x, y), 1); // [N]
    const norms = tf.mul(tf.norm(x, "euclidean", 1), tf.norm(y, "euclidean", 1)); // [N]
    return tf.div(dot, tf.maximum(norms, TINY)) as tf.Tensor1D; // [N]
  });
}

/** Mean token-wise cosine similarity of x and y [N, d]: a scalar (NaN for N = 0). */
export function meanTokenCosine(x: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(tokenCosines(x, y))); // []
}
