import { configUsedBy } from "@bupo/shared/config-used";
import type { RunConfig } from "@bupo/shared/run-config";

/** The validated config of a run (the settings its kind uses) and the equivalent reference (verl) command line. */
export function ConfigPanel({ config, verlCommand }: { config: RunConfig; verlCommand: string | null }) {
  return (
    <section aria-labelledby="config-heading" className="grid gap-4 lg:grid-cols-2">
      <div className="space-y-2">
        <h2 id="config-heading" className="text-lg font-semibold">
          Config
        </h2>
        <pre className="max-h-96 overflow-auto rounded-lg bg-zinc-100 p-3 text-xs dark:bg-zinc-900">
          {JSON.stringify(configUsedBy(config), null, 2)}
        </pre>
      </div>
      {verlCommand ? (
        <div className="space-y-2">
          <h2 className="text-lg font-semibold">Reference command (verl + BuPO)</h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Fill in the $-placeholders (model, data, GPUs) to run this configuration on your cluster.
          </p>
          <pre
            data-testid="verl-command"
            className="max-h-96 overflow-auto rounded-lg bg-zinc-950 p-3 text-xs text-zinc-100"
          >
            {verlCommand}
          </pre>
        </div>
      ) : null}
    </section>
  );
}
