/**
 * The smallest valid scenario, as a scenario file holds it, for tests that spread their own
 * fields over it.
 */
export const minimalScenario = {
  name: 'm',
  transports: ['websocket'],
  clients: 10,
  ratePerSec: 5,
  payloadBytes: 16,
};
