// client-go's token bucket rate limiter (staging/src/k8s.io/client-go/util/flowcontrol/
// throttle.go NewTokenBucketRateLimiter, over golang.org/x/time/rate's Limiter) in virtual time:
// it starts full (`burst` tokens) and refills continuously at `qps` (a float32 in client-go);
// TryAccept takes a token when there is one (rate.Limiter AllowN(now, 1)), and a refused call
// changes nothing; Reserve takes one even when it is not there yet and says when it will be. The
// node lifecycle controller's eviction queues, the event recorder's spam filter and the
// controllers' work queues (their bucket rate limiter) use it.

export class TokenBucket {
  private tokens: number;
  private lastMs: number | undefined;
  private rate: number;

  constructor(
    qps: number,
    private readonly burst: number,
  ) {
    this.rate = Math.fround(qps);
    this.tokens = burst;
  }

  get qps(): number {
    return this.rate;
  }

  /** rate.Limiter.SetLimitAt: the tokens earned so far at the old rate are kept. */
  setQps(qps: number, nowMs: number): void {
    const next = Math.fround(qps);
    if (next === this.rate) return;
    this.tokens = this.available(nowMs);
    this.lastMs = nowMs;
    this.rate = next;
  }

  tryAccept(nowMs: number): boolean {
    const tokens = this.available(nowMs);
    if (tokens < 1) return false;
    this.tokens = tokens - 1;
    this.lastMs = nowMs;
    return true;
  }

  /** rate.Limiter.Reserve().Delay(): takes a token now, owing it when there is none (tokens go
   *  below zero), and says how long until the token is due (durationFromTokens), rounded up to
   *  whole milliseconds. */
  reserve(nowMs: number): number {
    const tokens = this.available(nowMs) - 1;
    this.tokens = tokens;
    this.lastMs = nowMs;
    if (tokens >= 0) return 0;
    // durationFromTokens truncates to whole nanoseconds; the simulation waits whole milliseconds.
    return Math.ceil(Math.trunc((-tokens / this.rate) * 1e9) / 1e6);
  }

  /** advance: min(burst, tokens + tokensFromDuration(elapsed)). */
  private available(nowMs: number): number {
    if (this.lastMs === undefined) return this.tokens;
    return Math.min(this.burst, this.tokens + tokensFromDuration(Math.max(0, nowMs - this.lastMs), this.rate));
  }
}

/** rate.Limit tokensFromDuration: whole seconds and the rest (in ns) each times the limit. */
function tokensFromDuration(elapsedMs: number, limit: number): number {
  const seconds = Math.floor(elapsedMs / 1000);
  return seconds * limit + ((elapsedMs - seconds * 1000) * 1e6 * limit) / 1e9;
}
