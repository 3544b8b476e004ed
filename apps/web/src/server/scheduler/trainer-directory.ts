import type { TrainerRouter } from "@bupo/trainer/service/router";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";

export type TrainerClient = ReturnType<typeof createTrainerClient>;

/** tRPC client for one trainer (type-only dependency on the trainer's router). */
export function createTrainerClient(url: string, token: string, timeoutMs = 5000) {
  return createTRPCClient<TrainerRouter>({
    links: [
      httpLink({
        url: `${url.replace(/\/$/, "")}/trpc`,
        transformer: superjson,
        headers: { authorization: `Bearer ${token}` },
        fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
      }),
    ],
  });
}

/** The trainers this web dispatches to: configured URLs (TRAINER_URLS) sharing one service token. */
export interface TrainerDirectory {
  urls: string[];
  client(url: string): TrainerClient;
}

export function createTrainerDirectory(urls: string[], token: string): TrainerDirectory {
  const clients = new Map(urls.map((u) => [u, createTrainerClient(u, token)]));
  return {
    urls,
    client(url) {
      const c = clients.get(url);
      if (!c) throw new Error(`unknown trainer ${url}`);
      return c;
    },
  };
}

/** A definitive refusal (the call reached the trainer and it said no), as opposed to an unknown outcome. */
export function isDefinitiveRefusal(e: unknown): boolean {
  return e instanceof TRPCClientError && typeof e.data?.httpStatus === "number" && e.data.httpStatus < 500;
}
