import Link from "next/link";
import type { ComponentProps } from "react";

const style = "font-medium text-emerald-700 underline dark:text-emerald-400";

/** An in-app link styled as a link (emerald, underlined); `className` adds to the style (e.g. "text-sm"). */
export function TextLink({ className, ...props }: ComponentProps<typeof Link>) {
  return <Link className={className ? `${className} ${style}` : style} {...props} />;
}
