/**
 * Guesses an article's format from its content (the file name is only a tie-breaker): the
 * same `.txt` extension holds wikitext in the corpus and a Markdown export in the seed.
 */
import type { InputFormat } from '../model.js';

export function detectFormat(text: string, path?: string): InputFormat {
  const head = text.slice(0, 20_000);
  if (/^\s*(<!doctype html|<html[\s>]|<body[\s>]|<div[\s>]|<section[\s>]|<p[\s>])/i.test(head)) return 'html';
  if (/class="mw-parser-output"|typeof="mw:/.test(head)) return 'html';
  const wikiSignals =
    (head.match(/\{\{[^{}\n]{1,200}(\||\}\})/g)?.length ?? 0) +
    (head.match(/<ref[\s>]/gi)?.length ?? 0) * 2 +
    (head.match(/^={2,6}[^=\n]+={2,6}\s*$/gm)?.length ?? 0) * 2 +
    (head.match(/\[\[[^\]\n]+\]\]/g)?.length ?? 0) +
    (head.match(/'''[^'\n]+'''/g)?.length ?? 0);
  const markdownSignals =
    (head.match(/\]\((#|https?:\/\/)[^)]*\)/g)?.length ?? 0) +
    (head.match(/\^\[\d+\]|\^\{\[\d+\]/g)?.length ?? 0) * 2 +
    (head.match(/^\[[-.]\]\s*$/gm)?.length ?? 0) * 2;
  if (wikiSignals > markdownSignals && wikiSignals >= 2) return 'wikitext';
  if (markdownSignals > 0) return 'markdown';
  const ext = path?.toLowerCase().match(/\.(\w+)$/)?.[1];
  if (ext === 'html' || ext === 'htm') return 'html';
  if (ext === 'wiki' || ext === 'wikitext') return 'wikitext';
  return wikiSignals > 0 ? 'wikitext' : 'markdown';
}
