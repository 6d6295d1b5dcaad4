// client-go's token bucket over golang.org/x/time/rate (src/api/flowcontrol.ts): TryAccept
// (AllowN) and Reserve (ReserveN(now, 1, InfDuration).Delay()).
import t from 'tap';
import { TokenBucket } from '../../src/api/flowcontrol.js';

t.test('tryAccept: the burst, then one token per 1/qps; a refusal takes nothing', async (t) => {
  const b = new TokenBucket(10, 3);
  t.same([0, 0, 0, 0].map(() => b.tryAccept(0)), [true, true, true, false]);
  t.equal(b.tryAccept(99), false, '0.99 of a token');
  t.equal(b.tryAccept(100), true, 'one token after 100ms (the refusals at 0 and 99ms took nothing)');
  t.equal(b.tryAccept(150), false);
});

t.test('reserve: free within the burst, then owed: each reservation due 1/qps after the last', async (t) => {
  const b = new TokenBucket(10, 2);
  t.same([b.reserve(0), b.reserve(0)], [0, 0], 'the burst');
  t.same([b.reserve(0), b.reserve(0), b.reserve(0)], [100, 200, 300], 'owed tokens queue up');
  t.equal(b.reserve(250), 150, 'at 250ms four are owed: the next is due at 400ms');
  t.equal(b.tryAccept(1000), true, 'by 1s the debt is paid and a token earned again');
  t.equal(b.reserve(10_000), 0, 'refilled (to the burst) after a long pause');
  t.equal(b.reserve(10_000), 0);
  t.equal(b.reserve(10_000), 100);
});
