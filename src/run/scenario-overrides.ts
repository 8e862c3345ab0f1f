import { readFileSync } from 'node:fs';
import { loadScenarios, parseScenarios, type Scenario } from './scenario.ts';

/**
 * Reads a scenario or suite file and applies command-line overrides before validating, so both
 * are checked alike. In a suite the overrides win over every part's own fields; objects
 * (scaleOut) are merged field by field, so an override keeps the file's other fields.
 */
export function scenariosWithOverrides(
  path: string,
  overrides: Record<string, unknown>,
): Scenario[] {
  const base = loadScenarios(path); // validates the file as written first: its own mistakes name its own fields
  if (Object.keys(overrides).length === 0) return base;
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  // A part inherits the suite's fields whole, so an override reaches a part through the suite's
  // fields unless the part writes that field itself: only those are overridden in the part too.
  const apply = (target: Record<string, unknown>, keys: string[]) => {
    const merged = { ...target };
    for (const key of keys) {
      const value = overrides[key];
      merged[key] = value;
      if (value && typeof value === 'object' && !Array.isArray(value))
        merged[key] = { ...(target[key] as object | undefined), ...value };
    }
    return merged;
  };
  if (Array.isArray(raw.parts))
    raw.parts = raw.parts.map((part: Record<string, unknown>) =>
      apply(
        part,
        Object.keys(overrides).filter((key) => key in part),
      ),
    );
  return parseScenarios(apply(raw, Object.keys(overrides)), `${path} with command-line options`);
}

/** The name of a suite file, for its parts' common record. */
export function suiteName(path: string): string {
  return (JSON.parse(readFileSync(path, 'utf8')) as { name: string }).name;
}
