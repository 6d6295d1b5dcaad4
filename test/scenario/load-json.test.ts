// loadJsonText (the fuzzer's loader) gives what loadText gives for the same JSON text: the same
// scenarios, errors and source positions, with or without the YAML parser.
import fc from 'fast-check';
import t from 'tap';
import { fuzzCaseArbitrary, resolveSize } from '../../src/fuzz/arbitraries.js';
import { caseDocument } from '../../src/fuzz/scenario.js';
import { loadGeneratedDocument, loadJsonText, loadText } from '../../src/scenario/load.js';
import { ownJsonDocument, parseJsonDocument, parseYamlDocuments, type PathSegment } from '../../src/scenario/validate.js';

function* paths(v: unknown, p: PathSegment[] = []): Generator<PathSegment[]> {
  yield p;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) yield* paths(v[i], [...p, i]);
    yield [...p, v.length];
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) yield* paths(x, [...p, k]);
    yield [...p, 'missing'];
  } else yield [...p, 'deeper'];
}

t.test('random fuzz cases: same scenario, same data, same position for every path', async (t) => {
  for (const size of ['small', 'medium'] as const) {
    for (const c of fc.sample(fuzzCaseArbitrary(resolveSize(size), {}), { seed: 3, numRuns: 15 })) {
      const text = JSON.stringify(caseDocument(c, { invariants: ['no-double-binding'] }));
      t.same(loadJsonText(text, 'case.yaml'), loadText(text, 'case.yaml'));
      const yaml = parseYamlDocuments(text, 'case.yaml').documents[0]!;
      const json = parseJsonDocument(text, 'case.yaml')!.documents[0]!;
      // The fuzzer's own document, loaded without a text: its text is written and scanned for
      // positions only when a location is read.
      const doc = caseDocument(c, { invariants: ['no-double-binding'] });
      const own = ownJsonDocument(doc, 'case.yaml').documents[0]!;
      t.strictSame(json.data, yaml.data);
      t.strictSame(own.data, yaml.data);
      t.same(loadGeneratedDocument(doc, 'case.yaml'), loadText(text, 'case.yaml'));
      for (const p of paths(yaml.data)) {
        for (const target of ['value', 'key'] as const) {
          const want = yaml.locator.locate(p, target);
          for (const got of [json.locator.locate(p, target), own.locator.locate(p, target)]) {
            if (got.column !== want.column || got.line !== want.line || got.path !== want.path) t.fail(`${want.path} (${target}): ${got.line}:${got.column}, want ${want.line}:${want.column}`);
          }
        }
      }
    }
  }
});

t.test('invalid and unusual texts: the same errors', async (t) => {
  for (const text of [
    '{"name":"a","until":"1m","cluster":{"nodes":[{"name":"n","capacity":{"cpu":"1","memory":"1Gi"}}]},"x":[1,-2.5e3,true,null,"\\u0001"]}',
    '{"name": "a", "until": "forever"}',
    '{"name":"a","name":"b"}',
    '{"a":{},"b":[]}',
    '[]',
    'null',
    '{"name":"a",\n"until":"1m"}',
    '{"name":"a","cluster":{"<<":{}}}',
  ]) {
    t.same(loadJsonText(text, 'odd.yaml'), loadText(text, 'odd.yaml'), text);
  }
  t.equal(parseJsonDocument('{"a":1,"a":2}', 'f.yaml'), undefined, 'a repeated key goes to the YAML parser');
  t.equal(parseJsonDocument('{"a":1,\n"b":2}', 'f.yaml'), undefined, 'more than one line goes to the YAML parser');
});
