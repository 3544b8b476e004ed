/**
 * verl-format parquet loader (hyparquet + hyparquet-compressors): columns `prompt` (chat messages),
 * `reward_model.ground_truth` (struct field), `data_source`. Only the needed top-level columns are read.
 */
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from "hyparquet";
import { compressors } from "hyparquet-compressors";
import { baseName, getPath, toAnswer, toPrompt } from "./fields.ts";
import type { DatasetRow, LoadOptions } from "./types.ts";

/** Load rows from a verl-format parquet file. Throws naming the missing column and the available ones. */
export async function loadParquetDataset(path: string, options: LoadOptions = {}): Promise<DatasetRow[]> {
  const promptKey = options.promptKey ?? "prompt";
  const answerKey = options.answerKey ?? "reward_model.ground_truth";
  const file = await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file);
  const available = parquetSchema(metadata).children.map((c) => c.element.name);
  const top = (key: string) => (available.includes(key) ? key : (key.split(".")[0] as string));
  for (const key of [promptKey, answerKey]) {
    if (!available.includes(top(key))) {
      throw new Error(`column "${key}" not found in ${path}; available columns: ${available.join(", ")}`);
    }
  }
  const columns = [
    ...new Set([
      top(promptKey),
      top(answerKey),
      ...(available.includes("data_source") ? ["data_source"] : []),
    ]),
  ];
  const rowEnd = options.maxRows ? Math.min(options.maxRows, Number(metadata.num_rows)) : undefined;
  const records = (await parquetReadObjects({ file, metadata, columns, compressors, rowEnd })) as Record<
    string,
    unknown
  >[];

  const name = baseName(path);
  const fallbackSource = options.dataSource ?? name;
  return records.map((record, i) => {
    const where = `${path} row ${i}`;
    const source = record.data_source;
    return {
      id: `${name}#${i}`,
      prompt: toPrompt(getPath(record, promptKey), where),
      groundTruth: toAnswer(getPath(record, answerKey), where),
      dataSource: typeof source === "string" && source ? source : fallbackSource,
    };
  });
}
