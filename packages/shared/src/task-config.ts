/**
 * Task source (`config.task`): a built-in verifiable task generated on the fly, or a dataset file under one of
 * the trainer's dataset roots (file-ref.ts).
 */
import { z } from "zod";
import { DATASET_ROOTS, fileRefSchema, relativePathField, TOKENIZER_ROOTS } from "./file-ref.ts";
import { booleanField, enumOf, intField, numberField, objectError, stringField } from "./schema-helpers.ts";

/** Built-in task ids (keys of the trainer's task registry). */
export const BUILTIN_TASKS = ["addition", "modular", "sorting"] as const;
export const BuiltinTaskNameSchema = enumOf(BUILTIN_TASKS).describe(
  "Built-in task: addition (multi-digit a+b), modular ((a op b) mod m) or sorting (sort a digit list)",
);
export type BuiltinTaskName = z.infer<typeof BuiltinTaskNameSchema>;

export const DATASET_FORMATS = ["parquet", "jsonl"] as const;
export const DatasetFormatSchema = enumOf(DATASET_FORMATS).describe(
  "File format: parquet (verl layout: prompt messages + reward_model.ground_truth) or jsonl",
);
export type DatasetFormat = z.infer<typeof DatasetFormatSchema>;

const heldOutFraction = numberField({
  min: 0,
  max: 0.9,
  default: 0.1,
  describe: "Fraction of problems held out for evaluation (deterministic split by seed)",
});

export const BuiltinTaskSchema = z
  .object(
    {
      source: z.literal("builtin").describe("Generate problems with a built-in task"),
      name: BuiltinTaskNameSchema.default("addition"),
      difficulty: intField({
        min: 1,
        max: 5,
        default: 2,
        describe:
          "Difficulty level 1–5: addition digits = level+1, modulus 7/13/31/61/97, sorting length = level+2",
      }),
    },
    { error: objectError },
  )
  .describe(
    "Built-in verifiable task (answers graded exactly, char-level tokenizer; schedule.evalPrompts held out)",
  );
export type BuiltinTask = z.infer<typeof BuiltinTaskSchema>;

export const DatasetTaskSchema = z
  .object(
    {
      source: z.literal("dataset").describe("Read problems from a file"),
      root: enumOf(DATASET_ROOTS)
        .default("datasets")
        .describe("Where the files live: datasets (the trainer's datasets folder) or builtin (product data)"),
      path: relativePathField({ describe: "Training file relative to its root" }),
      format: DatasetFormatSchema.default("parquet"),
      promptKey: stringField({
        min: 1,
        max: 128,
        describe:
          "Column/key holding the prompt: chat messages (parquet `prompt`) or plain text (jsonl `question`)",
      }).default("prompt"),
      answerKey: stringField({
        min: 1,
        max: 128,
        describe:
          "Dotted column/key of the reference answer (parquet `reward_model.ground_truth`, jsonl `answer`)",
      }).default("reward_model.ground_truth"),
      evalPath: relativePathField({
        optional: true,
        describe:
          "Optional separate evaluation file in the same root (same format); empty = hold out heldOutFraction of `path`",
      }).default(""),
      tokenizer: fileRefSchema(TOKENIZER_ROOTS, {
        defaultRoot: "models",
        describe:
          "Folder with tokenizer.json + tokenizer_config.json (chat template) for this dataset's model",
        pathDescribe: "Tokenizer folder relative to its root",
      }),
      enableThinking: booleanField({
        default: false,
        describe: "Qwen3 chat-template enable_thinking; paper trains with thinking off (qwen3_no_thinking)",
      }),
      maxRows: intField({
        min: 0,
        max: 10_000_000,
        default: 0,
        describe: "Use at most this many rows (0 = all)",
      }),
      heldOutFraction,
    },
    { error: objectError },
  )
  .describe("Dataset task (MATH-style grading of the last \\boxed{} answer)");
export type DatasetTask = z.infer<typeof DatasetTaskSchema>;

export const TaskSchema = z
  .discriminatedUnion("source", [BuiltinTaskSchema, DatasetTaskSchema], { error: objectError })
  .describe("Where problems come from: builtin or dataset");
export type TaskConfig = z.infer<typeof TaskSchema>;
