/**
 * An embedded PGlite served over the PostgreSQL wire protocol on a loopback port, so that other processes
 * (web servers, pg-boss, a test process) share one embedded database through ordinary `postgresql://` URLs.
 *
 * PGlite is one backend session; connections take turns on it. A turn is a whole protocol exchange — a
 * simple Query, or extended-protocol messages up to their Sync — and lasts as long as the exchange leaves a
 * transaction open, so statements and transactions of different connections never interleave. (The
 * multiplexer of @electric-sql/pglite-socket 0.2.18 hands the session over between single messages: with a
 * `pg` pool, one client's Bind ran against another's unnamed statement — "portal does not exist".)
 * Not a server for production: one session means no concurrency, and LISTEN/NOTIFY reach nobody.
 */
import net from "node:net";
import type { PGlite } from "@electric-sql/pglite";

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** Frontend messages that end an exchange: simple Query, Sync. */
const EXCHANGE_END = new Set(["Q", "S"]);
const FLUSH = "H";
const TERMINATE = "X";

export interface PgliteWireServer {
  /** `postgresql://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  /** Stops listening and drops every connection (rolling back a transaction one of them left open). */
  close(): Promise<void>;
}

/** Whose turn it is on the single PGlite session; connections wait in arrival order. */
class SessionTurns {
  private owner: number | null = null;
  private waiting: { id: number; go: () => void }[] = [];

  take(id: number): Promise<void> {
    if (this.owner === null || this.owner === id) {
      this.owner = id;
      return Promise.resolve();
    }
    return new Promise((go) => this.waiting.push({ id, go }));
  }

  isOwner(id: number): boolean {
    return this.owner === id;
  }

  give(id: number): void {
    this.waiting = this.waiting.filter((w) => w.id !== id);
    if (this.owner !== id) return;
    const next = this.waiting.shift();
    this.owner = next?.id ?? null;
    next?.go();
  }
}

/**
 * One client connection: frames its messages and runs each exchange in its turn. Resolves once the socket
 * has closed and the connection has given up the session (rolling back a transaction it left open).
 */
function serveConnection(db: PGlite, turns: SessionTurns, id: number, socket: net.Socket): Promise<void> {
  let buffer = Buffer.alloc(0);
  let started = false;
  let pending: Buffer[] = [];
  let work = Promise.resolve();
  let open = true;

  const run = (messages: Buffer[], endsExchange: boolean) => {
    work = work
      .then(async () => {
        await turns.take(id);
        await db.runExclusive(() =>
          db.execProtocolRawStream(Buffer.concat(messages), {
            onRawData: (data) => {
              if (open) socket.write(data);
            },
          }),
        );
        if (endsExchange && !db.isInTransaction()) turns.give(id);
      })
      .catch((err: unknown) => {
        socket.destroy(err instanceof Error ? err : new Error(String(err)));
      });
  };

  /** Startup-phase packets (length, code): SSL/GSS negotiation refused, cancel ignored, startup run. */
  const startupPacket = (): boolean => {
    if (buffer.length < 8) return false;
    const length = buffer.readInt32BE(0);
    if (buffer.length < length) return false;
    const packet = buffer.subarray(0, length);
    buffer = buffer.subarray(length);
    const code = packet.readInt32BE(4);
    if (code === SSL_REQUEST || code === GSSENC_REQUEST) socket.write("N");
    else if (code === CANCEL_REQUEST) socket.end();
    else {
      started = true;
      run([packet], true);
    }
    return true;
  };

  const typedMessage = (): boolean => {
    if (buffer.length < 5) return false;
    const length = 1 + buffer.readInt32BE(1);
    if (buffer.length < length) return false;
    const message = buffer.subarray(0, length);
    buffer = buffer.subarray(length);
    const type = String.fromCharCode(message[0] as number);
    if (type === TERMINATE) {
      socket.end();
      return false;
    }
    pending.push(message);
    if (EXCHANGE_END.has(type) || type === FLUSH) {
      run(pending, type !== FLUSH);
      pending = [];
    }
    return true;
  };

  socket.setNoDelay(true);
  socket.on("data", (data) => {
    buffer = Buffer.concat([buffer, data]);
    let more = true;
    while (open && more) more = started ? typedMessage() : startupPacket();
  });
  socket.on("error", () => {}); // a client that vanished; "close" follows
  return new Promise((resolve) => {
    socket.on("close", () => {
      open = false;
      work = work.then(async () => {
        if (turns.isOwner(id) && db.isInTransaction()) {
          await db.exec("ROLLBACK").catch(() => {}); // exec takes PGlite's own lock
        }
        turns.give(id);
      });
      void work.then(resolve);
    });
  });
}

/** Serves `db` on 127.0.0.1 (a free port unless given) until `close()`. */
export async function servePgliteOverWire(db: PGlite, port = 0): Promise<PgliteWireServer> {
  await db.waitReady;
  const turns = new SessionTurns();
  const connections = new Map<net.Socket, Promise<void>>();
  let nextId = 1;
  const server = net.createServer((socket) => {
    const ended = serveConnection(db, turns, nextId++, socket);
    connections.set(socket, ended);
    void ended.then(() => connections.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const { port: bound } = server.address() as net.AddressInfo;
  return {
    url: `postgresql://postgres@127.0.0.1:${bound}/postgres`,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const ended = [...connections.values()];
      for (const socket of connections.keys()) socket.destroy();
      await Promise.all([closed, ...ended]);
    },
  };
}
