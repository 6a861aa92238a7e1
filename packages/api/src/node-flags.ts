/**
 * How Node runs every rushgate server (the Dockerfile's CMD, `npm start`, the load tools). A
 * rush allocates a short-lived object graph per request; with V8's default 16 MiB semi-spaces
 * the router scavenges every few hundred requests, copying the in-flight requests each time. A
 * 32 MiB semi-space scavenges half as often, and a single-threaded collector does not spend a
 * second core synchronising helper threads on a pod of one or two cores, which is how rushgate
 * scales (more routers, not bigger ones). Measured in `pnpm bench`'s burst: about 15 % less
 * router CPU per request (docs/PERFORMANCE.md). `--single-threaded-gc` is not allowed in
 * NODE_OPTIONS, hence flags on the command line.
 */
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=32", "--single-threaded-gc"] as const;
