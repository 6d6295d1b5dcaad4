// Rows transcribed from pkg/scheduler/framework/plugins/helper/normalize_score_test.go
// TestDefaultNormalizeScore (maxPriority = framework.MaxNodeScore).
import t from 'tap';
import { MAX_NODE_SCORE, type NodeScore } from '../../../src/scheduler/framework/types.js';
import { defaultNormalizeScore } from '../../../src/scheduler/plugins/helper/normalize_score.js';

const rows: Array<{ reverse?: boolean; scores: number[]; expectedScores: number[] }> = [
  { scores: [1, 2, 3, 4], expectedScores: [25, 50, 75, 100] },
  { reverse: true, scores: [1, 2, 3, 4], expectedScores: [75, 50, 25, 0] },
  { scores: [1000, 10, 20, 30], expectedScores: [100, 1, 2, 3] },
  { reverse: true, scores: [1000, 10, 20, 30], expectedScores: [0, 99, 98, 97] },
  { scores: [1, 1, 1, 1], expectedScores: [100, 100, 100, 100] },
  { scores: [1000, 1, 1, 1], expectedScores: [100, 0, 0, 0] },
  { reverse: true, scores: [0, 1, 1, 1], expectedScores: [100, 0, 0, 0] },
];

rows.forEach((row, i) => {
  t.test(`case_${i}`, async (t) => {
    const scores: NodeScore[] = row.scores.map((score) => ({ name: '', score }));
    const status = defaultNormalizeScore(MAX_NODE_SCORE, row.reverse ?? false, scores);
    t.equal(status, null);
    t.strictSame(
      scores.map((s) => s.score),
      row.expectedScores,
    );
  });
});

// Not upstream rows: the all-zero branch (upstream covers it only through plugin tests).
t.test('all zero, not reversed: stays zero', async (t) => {
  const scores: NodeScore[] = [{ name: 'a', score: 0 }, { name: 'b', score: 0 }];
  defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
  t.strictSame(scores, [{ name: 'a', score: 0 }, { name: 'b', score: 0 }]);
});
t.test('all zero, reversed: all maxPriority', async (t) => {
  const scores: NodeScore[] = [{ name: 'a', score: 0 }, { name: 'b', score: 0 }];
  defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
  t.strictSame(scores, [{ name: 'a', score: 100 }, { name: 'b', score: 100 }]);
});
t.test('integer division truncates (Go int64)', async (t) => {
  const scores: NodeScore[] = [{ name: 'a', score: 3 }, { name: 'b', score: 2 }, { name: 'c', score: 1 }];
  defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
  t.strictSame(scores.map((s) => s.score), [100, 66, 33]);
  const reversed: NodeScore[] = [{ name: 'a', score: 3 }, { name: 'b', score: 2 }, { name: 'c', score: 1 }];
  defaultNormalizeScore(MAX_NODE_SCORE, true, reversed);
  t.strictSame(reversed.map((s) => s.score), [0, 34, 67]);
});
