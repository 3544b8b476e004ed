/** Loads `tokenizer.json` (+ optional `tokenizer_config.json`) of a Hugging Face directory via @huggingface/tokenizers. */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Tokenizer } from "@huggingface/tokenizers";

export type HfTokenizer = Tokenizer;

/** The tokenizer of `dir`, or undefined when the directory has no tokenizer.json. */
export async function loadHfTokenizer(dir: string): Promise<HfTokenizer | undefined> {
  const file = path.join(dir, "tokenizer.json");
  if (!existsSync(file)) return undefined;
  const json = JSON.parse(await readFile(file, "utf8")) as object;
  const configFile = path.join(dir, "tokenizer_config.json");
  const config = existsSync(configFile) ? (JSON.parse(await readFile(configFile, "utf8")) as object) : {};
  return new Tokenizer(json, config);
}
