import { readTrainerEnv } from "../env.ts";
import { startTrainerService } from "../service/trainer-service.ts";

/** `serve`: run the trainer as a service until SIGINT / SIGTERM, then shut down gracefully. */
export async function serveCommand(): Promise<void> {
  const service = await startTrainerService(readTrainerEnv());
  const stop = (signal: string) => {
    void service.shutdown(signal).then(() => process.exit(0));
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}
