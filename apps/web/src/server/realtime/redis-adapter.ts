import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";

/** Socket.IO Redis adapter: events emitted on any web process reach sockets on every other one. */
export async function createRedisAdapter(url: string) {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  return {
    adapter: createAdapter(pub, sub),
    close: async () => {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}
