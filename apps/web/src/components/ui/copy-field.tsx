import { Button } from "./button.tsx";

/** A labelled read-only value (an invitation or share link) with a Copy button. */
export function CopyField({
  id,
  label,
  value,
  className,
}: {
  id: string;
  label: string;
  value: string;
  className?: string;
}) {
  return (
    <div className={className}>
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <div className="flex gap-2">
        <input
          id={id}
          readOnly
          value={value}
          className="w-full rounded-md border border-zinc-300 bg-zinc-50 px-3 py-2 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-950"
        />
        <Button variant="secondary" onClick={() => navigator.clipboard?.writeText(value)}>
          Copy
        </Button>
      </div>
    </div>
  );
}
