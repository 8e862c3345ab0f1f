/**
 * The server process: one feed server on loopback, driven by the orchestrator over IPC.
 * Started by `run/` with its options as JSON in argv[2]; never shares a process with a driver,
 * so its CPU and memory are measured alone.
 */
import { serveFeedServer, serverOptionsFromArgv } from './serve-feed-server.ts';

await serveFeedServer(serverOptionsFromArgv());
