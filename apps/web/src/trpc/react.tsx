"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import {
  createTRPCClient,
  httpBatchLink,
  httpBatchStreamLink,
  splitLink,
  TRPCClientError,
} from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { type ReactNode, useState } from "react";
import superjson from "superjson";
import type { AppRouter } from "../server/api/root.ts";

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            staleTime: 10_000,
            retry: (count, err) =>
              !(err instanceof TRPCClientError && err.data?.httpStatus < 500) && count < 2,
          },
        },
      }),
  );
  // Queries stream (each result as soon as it is ready, so the first chart need not wait for the slowest
  // query of the batch); mutations use a plain batch, since they may set the session cookie.
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        splitLink({
          condition: (op) => op.type === "query",
          true: httpBatchStreamLink({ url: "/api/trpc", transformer: superjson }),
          false: httpBatchLink({ url: "/api/trpc", transformer: superjson }),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}

export interface FieldError {
  field: string;
  message: string;
}

/** Splits a tRPC error into per-field messages (keyed by dotted path) and a form-level message. */
export function describeError(error: unknown): { fields: Record<string, string>; message: string | null } {
  if (!error) return { fields: {}, message: null };
  if (error instanceof TRPCClientError) {
    const list = (error.data?.fieldErrors ?? []) as FieldError[];
    const fields: Record<string, string> = {};
    for (const f of list) fields[f.field] ??= f.message;
    return { fields, message: list.length ? null : error.message };
  }
  return { fields: {}, message: "Could not reach the server. Check your connection and try again." };
}
