/** Titles and roles of the paper's datasets shipped under the built-in root (builtin/datasets/README.md). */
export const BUILTIN_DATASETS: Record<string, { title: string; role: "training" | "evaluation" }> = {
  "datasets/math500.parquet": { title: "MATH-500", role: "evaluation" },
  "datasets/aime_2024.parquet": { title: "AIME 2024", role: "evaluation" },
  "datasets/aime_2025.parquet": { title: "AIME 2025", role: "evaluation" },
  "datasets/amc2023.parquet": { title: "AMC 2023", role: "evaluation" },
  "datasets/deepmath-5k.parquet": { title: "DeepMath-5k", role: "training" },
};
