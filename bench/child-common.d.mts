import type { LookupFunction } from 'node:net';

export function arg(name: string, fallback?: string): string | undefined;
export const EXPECTED: Readonly<Record<string, number>>;
export function simulatorLookup(hostsFile: string): LookupFunction;

export type CliMain = (argv: string[], io?: unknown) => Promise<number>;
export function loadCliMain(cli: string): Promise<CliMain>;
