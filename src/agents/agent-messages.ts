/**
 * The messages between load agents and their coordinator, over one WebSocket per agent: an agent
 * registers, answers clock pings, and carries out the driver requests of each cell (the same
 * requests an orchestrator sends its local driver processes, driver-messages.ts).
 */
import { z } from 'zod';

/** The path the coordinator's WebSocket listens on; its HTTP server answers the rest. */
export const AGENT_PATH = '/agents';

/** What an agent's host allows its driver: the coordinator checks each shard against it. */
const LimitsSchema = z.object({
  /** Open files a process may have (soft limit); null: unlimited. */
  openFiles: z.number().int().nullable(),
  /** Local ports one source address has to reach one server port; null: unknown. */
  ephemeralPorts: z.number().int().nullable(),
  freeMemoryBytes: z.number(),
});

/** An agent's first message: who it is, and what its host allows. */
const RegisterSchema = z.object({
  type: z.literal('register'),
  index: z.number().int().min(0),
  agents: z.number().int().min(1),
  pid: z.number().int(),
  hostname: z.string(),
  limits: LimitsSchema,
});

/** What an agent's host allows its driver. */
export type AgentLimits = z.infer<typeof LimitsSchema>;

/** An agent's answer to a clock ping: its monotonic clock when it answered, µs. */
const PongSchema = z.object({
  type: z.literal('pong'),
  id: z.number().int(),
  clockUs: z.number(),
});

/** An agent's answer to a driver request. */
const ReplySchema = z.object({
  type: z.literal('reply'),
  id: z.number().int(),
  reply: z.unknown().optional(),
  error: z.string().optional(),
});

/** What an agent may send its coordinator: anything else closes its connection. */
export const ToCoordinatorSchema = z.discriminatedUnion('type', [
  RegisterSchema,
  PongSchema,
  ReplySchema,
]);

/** A message from an agent. */
export type ToCoordinator = z.infer<typeof ToCoordinatorSchema>;
/** An agent's registration. */
export type Registration = z.infer<typeof RegisterSchema>;

/** What the coordinator sends an agent. */
export type ToAgent =
  | { readonly type: 'ping'; readonly id: number }
  | {
      readonly type: 'request';
      readonly id: number;
      readonly kind: string;
      readonly payload: unknown;
      readonly timeoutMs: number;
    }
  /** The run is over: the agent stops its driver and exits 0. */
  | { readonly type: 'end' };

/** Close codes the coordinator refuses an agent with (4000-4999: the application's own). */
export const REFUSED_CLOSE_CODE = 4001;
