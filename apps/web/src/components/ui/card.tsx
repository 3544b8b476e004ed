import type { ReactNode } from "react";

export function Card({
  title,
  description,
  children,
}: {
  title?: string;
  description?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="rounded-lg border border-zinc-200 bg-white p-5 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      {title ? <h2 className="text-base font-semibold text-zinc-900 dark:text-zinc-100">{title}</h2> : null}
      {description ? <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{description}</p> : null}
      <div className={title ? "mt-4" : ""}>{children}</div>
    </section>
  );
}
