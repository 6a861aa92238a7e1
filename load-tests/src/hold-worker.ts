/**
 * One shard of `pnpm bench -- --hold-streams N`: a process of its own (its own open-files limit)
 * that opens its users' event streams, one connection each, in waves of 1,000, says how many
 * opened, holds them until told to stop, then says how many failed meanwhile.
 */
import { holdStream } from "./bench/streams";
import { identityHeaders } from "./identity";

interface Job {
  url: string;
  secret: string;
  userIds: string[];
}

const send = (message: unknown) => process.send?.(message);

process.once("message", async (job: Job) => {
  const streams: ReturnType<typeof holdStream>[] = [];
  for (let i = 0; i < job.userIds.length; i += 1000) {
    const wave = job.userIds
      .slice(i, i + 1000)
      .map((u) => holdStream(job.url, identityHeaders(job.secret, u)));
    streams.push(...wave);
    await Promise.all(wave.map((s) => s.opened));
  }
  const failures = () => streams.map((s) => s.failure()).filter((f): f is string => f !== undefined);
  send({ kind: "opened", opened: streams.length - failures().length });
  process.once("message", () => {
    const failed = failures();
    for (const s of streams) s.close();
    send({ kind: "done", errors: failed.length, samples: [...new Set(failed)].slice(0, 5) });
    setTimeout(() => process.exit(0), 100);
  });
});
