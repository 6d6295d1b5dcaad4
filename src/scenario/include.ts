// `cluster.include`: manifest files named by literal paths or globs (`*`, `?`, `**`), relative to the
// scenario file. Each file may hold several YAML documents; every object keeps its own
// file:line:column. Node 20 has no fs.glob, hence the small matcher below.
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { KINDS, isKind, type AnyObject } from '../api/types.js';
import type { Located, LoadError, SourceLocation } from './types.js';
import { parseYamlDocuments, validateManifestData } from './validate.js';

/** Files larger than this are refused rather than read (a scenario input, not a data set). */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;
/** A glob may look at this many directory entries before it is refused (e.g. `/**`). */
export const MAX_GLOB_ENTRIES = 20_000;

export type TextRead = { ok: true; text: string } | { ok: false; message: string };

/** Reads a regular file as UTF-8, refusing directories, devices and oversized files. */
export function readInputFile(file: string): TextRead {
  let size: number;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) return { ok: false, message: 'is a directory' };
    if (!stat.isFile()) return { ok: false, message: 'is not a regular file' };
    size = stat.size;
  } catch (err) {
    return { ok: false, message: fsMessage(err) };
  }
  if (size > MAX_INPUT_BYTES) return { ok: false, message: `is larger than ${MAX_INPUT_BYTES} bytes` };
  try {
    return { ok: true, text: readFileSync(file, 'utf8') };
  } catch (err) {
    return { ok: false, message: fsMessage(err) };
  }
}

export function fsMessage(err: unknown): string {
  const code = (err as { code?: string } | null)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'a part of the path is not a directory';
  return err instanceof Error ? err.message : String(err);
}

// ---------------------------------------------------------------------------------------------
// Globs

const GLOB_CHARS = /[*?]/;

export function isGlob(pattern: string): boolean {
  return GLOB_CHARS.test(pattern);
}

/** One path segment of a glob as a regular expression: `*` any run, `?` one character (never `/`). */
function segmentRegex(segment: string): RegExp {
  let source = '';
  for (const ch of segment) {
    if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

interface GlobWalk {
  matches: string[];
  visited: number;
}

function listDir(dir: string, walk: GlobWalk): string[] {
  try {
    const names = readdirSync(dir).sort();
    walk.visited += names.length;
    if (walk.visited > MAX_GLOB_ENTRIES) throw new GlobTooLarge();
    return names;
  } catch (err) {
    if (err instanceof GlobTooLarge) throw err;
    return [];
  }
}

class GlobTooLarge extends Error {}

function isRealDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Walks `segments` from `dir`; `**` matches any number of directories (symlinked ones are not followed). */
function walkGlob(dir: string, segments: readonly string[], index: number, walk: GlobWalk): void {
  if (index === segments.length) {
    if (isFile(dir)) walk.matches.push(dir);
    return;
  }
  const segment = segments[index]!;
  if (segment === '**') {
    walkGlob(dir, segments, index + 1, walk);
    for (const name of listDir(dir, walk)) {
      const child = join(dir, name);
      if (!name.startsWith('.') && isRealDirectory(child)) walkGlob(child, segments, index, walk);
    }
    return;
  }
  if (!isGlob(segment)) {
    walkGlob(join(dir, segment), segments, index + 1, walk);
    return;
  }
  const re = segmentRegex(segment);
  for (const name of listDir(dir, walk)) {
    if (name.startsWith('.') && !segment.startsWith('.')) continue;
    if (re.test(name)) walkGlob(join(dir, name), segments, index + 1, walk);
  }
}

export type GlobResult = { ok: true; files: string[] } | { ok: false; message: string };

/** The files matching `pattern` (relative to `baseDir` unless absolute), sorted. */
export function expandGlob(pattern: string, baseDir: string): GlobResult {
  const absolute = isAbsolute(pattern);
  const start = absolute ? resolve('/') : baseDir;
  const segments = pattern.split(/[\\/]+/).filter((s, i) => s !== '' && !(s === '.' && i > 0));
  const walk: GlobWalk = { matches: [], visited: 0 };
  try {
    walkGlob(start, segments, 0, walk);
  } catch (err) {
    if (err instanceof GlobTooLarge) return { ok: false, message: `looks at more than ${MAX_GLOB_ENTRIES} directory entries; narrow the pattern` };
    throw err;
  }
  return { ok: true, files: [...new Set(walk.matches)].sort() };
}

// ---------------------------------------------------------------------------------------------
// Included manifests

export interface IncludeEntry {
  pattern: string;
  /** Where the entry is written in the scenario (for errors about the entry itself). */
  loc: SourceLocation;
}

export interface IncludeResult {
  objects: Array<Located<AnyObject>>;
  errors: LoadError[];
}

/** The files named by the include entries, in entry order (each glob's matches sorted), each once. */
export function resolveIncludeFiles(entries: readonly IncludeEntry[], scenarioFile: string): { files: string[]; errors: LoadError[] } {
  const baseDir = dirname(scenarioFile);
  const files: string[] = [];
  const errors: LoadError[] = [];
  for (const entry of entries) {
    if (!isGlob(entry.pattern)) {
      files.push(isAbsolute(entry.pattern) ? entry.pattern : join(baseDir, entry.pattern));
      continue;
    }
    const expanded = expandGlob(entry.pattern, baseDir);
    if (!expanded.ok) errors.push({ ...entry.loc, message: `include ${JSON.stringify(entry.pattern)} ${expanded.message}` });
    else if (expanded.files.length === 0) errors.push({ ...entry.loc, message: `include ${JSON.stringify(entry.pattern)} matches no file` });
    else files.push(...expanded.files);
  }
  return { files: dedupe(files), errors };
}

function dedupe(files: string[]): string[] {
  const seen = new Set<string>();
  return files.filter((f) => {
    const key = resolve(f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Reads, validates and defaults every manifest named by the include entries. */
export function loadIncludes(entries: readonly IncludeEntry[], scenarioFile: string): IncludeResult {
  const { files, errors } = resolveIncludeFiles(entries, scenarioFile);
  const objects: Array<Located<AnyObject>> = [];
  const literalLoc = new Map(entries.filter((e) => !isGlob(e.pattern)).map((e) => [resolve(dirname(scenarioFile), e.pattern), e]));
  for (const file of files) {
    const read = readInputFile(file);
    if (!read.ok) {
      const entry = literalLoc.get(resolve(file));
      const loc = entry?.loc ?? { file, line: 1, column: 1, path: '' };
      errors.push({ ...loc, message: `include ${JSON.stringify(entry?.pattern ?? file)}: ${read.message}` });
      continue;
    }
    const loaded = loadManifestText(read.text, file);
    objects.push(...loaded.objects);
    errors.push(...loaded.errors);
  }
  return { objects, errors };
}

/** The manifests of one multi-document YAML text, validated, with their namespace defaulted. */
export function loadManifestText(text: string, file: string): IncludeResult {
  const { documents, errors } = parseYamlDocuments(text, file);
  const objects: Array<Located<AnyObject>> = [];
  for (const doc of documents) {
    const problems = validateManifestData(doc.data, doc.locator);
    if (problems.length > 0) errors.push(...problems);
    else objects.push({ value: withDefaultNamespace(doc.data as AnyObject), loc: doc.locator.locate([]) });
  }
  return { objects, errors };
}

/**
 * A manifest with metadata.namespace set to "default" for namespaced kinds, as kubectl does: a
 * new object and metadata, sharing the rest with the parsed document (nothing writes to a
 * scenario's objects: the API server and the controllers copy what they change).
 */
export function withDefaultNamespace<T extends { kind: string; metadata?: unknown }>(object: T): T {
  const copy = { ...object };
  if (!isKind(copy.kind) || !KINDS[copy.kind].namespaced) return copy;
  const metadata = { ...((copy.metadata ?? {}) as { namespace?: string }) };
  if (metadata.namespace === undefined || metadata.namespace === '') metadata.namespace = 'default';
  (copy as { metadata?: unknown }).metadata = metadata;
  return copy;
}
