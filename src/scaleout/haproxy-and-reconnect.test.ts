import { describe, expect, it } from 'vitest';
import { haproxyConfig } from './haproxy.ts';
import { DEFAULT_RECONNECT, reconnectDelayMs } from '../transports/shared/reconnect-policy.ts';

describe('haproxyConfig', () => {
  it('balances TCP connections round-robin over every instance, health-checked, with long timeouts', () => {
    const config = haproxyConfig(9000, [9001, 9002]);
    expect(config).toContain('mode tcp');
    expect(config).toContain('bind 127.0.0.1:9000');
    expect(config).toContain('balance roundrobin');
    expect(config).toMatch(/server instance0 127\.0\.0\.1:9001 check/);
    expect(config).toMatch(/server instance1 127\.0\.0\.1:9002 check/);
    expect(config).toContain('timeout client 1h');
  });
});

describe('reconnect policy', () => {
  it('waits a random time up to a bound that doubles per attempt, capped', () => {
    expect(reconnectDelayMs(DEFAULT_RECONNECT, 0, () => 1)).toBe(100);
    expect(reconnectDelayMs(DEFAULT_RECONNECT, 3, () => 0.5)).toBe(400);
    expect(reconnectDelayMs(DEFAULT_RECONNECT, 10, () => 1)).toBe(5_000);
    expect(reconnectDelayMs(DEFAULT_RECONNECT, 2, () => 0)).toBe(0);
  });
});
