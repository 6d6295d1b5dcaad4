// Kubernetes resource.Quantity, after kubernetes/kubernetes
// staging/src/k8s.io/apimachinery/pkg/api/resource/quantity.go (ParseQuantity, parseQuantityString,
// CanonicalizeBytes, String, Cmp, Add, Sub, Neg, ScaledValue/Value/MilliValue), with suffix.go
// (suffix tables, interpret), amount.go (AsCanonicalBytes, AsCanonicalBase1024Bytes) and math.go
// (maxInt64Factors = 18, maxAllowed, removeInt64Factors, rounding away from zero).
//
// The value is held exactly as `m × 10^e` (bigint mantissa, integer exponent), normalised so that
// `m` has no trailing decimal zeros (zero is `0 × 10^0`). Nothing is ever a float.
//
// Deliberate choices where upstream versions differ (the indexed quantity_test.go is newer than
// the indexed quantity.go; this file follows the test table):
// - A decimal exponent outside [-MaxInt32, MaxInt32] is rejected with ErrSuffix (newer upstream,
//   TestInterpretExponentInt32Bounds), not truncated to int32 as older releases do.
// - String() of a DecimalSI value with no suffix (above 10^18 "E" or below 10^-9 "n") and of a
//   BinarySI value past "Ei" falls back to exponent notation ("1e21", "10e69"), as newer upstream's
//   TestQuantityString expects, instead of silently dropping the suffix.
// - Int64 wrap-around of Value()/MilliValue() is not modelled: value() and milliValue() return
//   exact JS numbers and throw when the result is not a safe integer.
// - Add/Sub refuse (QuantityError) to align two exponents more than MAX_ALIGN_DIGITS apart,
//   where upstream would build a huge inf.Dec; this only affects absurd inputs such as 1e2000000.
// - suffix.go's first-letter case correction ("1ki" -> "1Ki"), present in one indexed version, is
//   not modelled: it contradicts the test table ("0.1mi" must fail).
// - String() returns the input verbatim when ParseQuantity's fast path judged it canonical (upstream's
//   cached `s`), so "+1k", "01" and "1E3" print as given, exactly as upstream does.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** splitREString: reported in ErrFormatWrong; the scanner below does not use a regex. */
const SPLIT_RE_STRING = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
export const ERR_FORMAT_WRONG = `quantities must match the regular expression '${SPLIT_RE_STRING}'`;
export const ERR_NUMERIC = 'unable to parse numeric part of quantity';
export const ERR_SUFFIX = "unable to parse quantity's suffix";
export const ERR_NOT_STRING_OR_NUMBER = 'quantity must be a string or a number';

export class QuantityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantityError';
  }
}

/** math.go maxInt64Factors: decimal digits handled by ParseQuantity's int64 fast path. */
const MAX_INT64_FACTORS = 18;
const MOST_POSITIVE = (1n << 63n) - 1n;
const NANO = -9;
const MAX_INT32 = 2147483647;
/** Largest exponent gap Add/Sub will bridge by multiplying out powers of ten. */
export const MAX_ALIGN_DIGITS = 100_000;
const SUFFIX_CHARS = 'eEinumkKMGTP';

const DECIMAL_SUFFIXES = new Map<string, number>([
  ['n', -9], ['u', -6], ['m', -3], ['', 0], ['k', 3], ['M', 6], ['G', 9], ['T', 12], ['P', 15], ['E', 18],
]);
const BINARY_SUFFIXES = new Map<string, number>([
  ['Ki', 10], ['Mi', 20], ['Gi', 30], ['Ti', 40], ['Pi', 50], ['Ei', 60],
]);
const DECIMAL_BY_EXPONENT = new Map([...DECIMAL_SUFFIXES].map(([s, e]) => [e, s] as const));
const BINARY_BY_POWER = new Map([...BINARY_SUFFIXES].map(([s, e]) => [e / 10, s] as const));

// ---------------------------------------------------------------------------------------------
// bigint helpers

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

function sign(x: bigint): -1 | 0 | 1 {
  return x === 0n ? 0 : x < 0n ? -1 : 1;
}

function digitCount(x: bigint): number {
  return abs(x).toString().length;
}

function pow10(k: number): bigint {
  return 10n ** BigInt(k);
}

/** Multiplies by 10^k for exponent alignment, refusing gaps that would build enormous numbers. */
function shiftLeft(m: bigint, k: number): bigint {
  if (k > MAX_ALIGN_DIGITS) {
    throw new QuantityError(`quantity exponents differ by ${k} digits; cannot align them exactly`);
  }
  return m * pow10(k);
}

/** m / 10^k for k > 0, rounded away from zero (inf.RoundUp, negativeScaleInt64). */
function divPow10AwayFromZero(m: bigint, k: number): bigint {
  if (m === 0n) return 0n;
  if (k > digitCount(m)) return BigInt(sign(m)); // 0 < |m| < 10^k
  const d = pow10(k);
  const q = abs(m) / d;
  const rounded = abs(m) % d === 0n ? q : q + 1n;
  return m < 0n ? -rounded : rounded;
}

/** Strips trailing decimal zeros: returns [m', e'] with m × 10^e == m' × 10^e'. */
function normalize(m: bigint, e: number): [bigint, number] {
  if (m === 0n) return [0n, 0];
  const s = abs(m).toString();
  let zeros = 0;
  while (s[s.length - 1 - zeros] === '0') zeros++;
  if (zeros === 0) return [m, e];
  const stripped = BigInt(s.slice(0, s.length - zeros));
  return [m < 0n ? -stripped : stripped, e + zeros];
}

/** Compares |m1 × 10^e1| with |m2 × 10^e2| without materialising large powers of ten. */
function cmpAbs(m1: bigint, e1: number, m2: bigint, e2: number): -1 | 0 | 1 {
  const a1 = abs(m1);
  const a2 = abs(m2);
  if (a1 === 0n || a2 === 0n) return sign(a1 - a2);
  const o1 = digitCount(a1) + e1;
  const o2 = digitCount(a2) + e2;
  if (o1 !== o2) return o1 < o2 ? -1 : 1;
  // Same order of magnitude, so |e1 - e2| is at most the longer mantissa's digit count.
  return e1 >= e2 ? sign(a1 * pow10(e1 - e2) - a2) : sign(a1 - a2 * pow10(e2 - e1));
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function assertInteger(x: bigint | number, what: string): bigint {
  if (typeof x === 'bigint') return x;
  if (!Number.isSafeInteger(x)) throw new QuantityError(`${what} must be a safe integer, got ${x}`);
  return BigInt(x);
}

// ---------------------------------------------------------------------------------------------
// parseQuantityString: the regex-free scanner

interface Split {
  positive: boolean;
  value: string;
  num: string;
  denom: string;
  suffix: string;
}

/** Index of the first position at or after `from` whose character fails `ok` (or `end`). */
function scan(str: string, from: number, ok: (c: string) => boolean): number {
  let i = from;
  while (i < str.length && ok(str[i]!)) i++;
  return i;
}

function splitQuantity(str: string): Split {
  const end = str.length;
  const positive = str[0] !== '-';
  let pos = str[0] === '-' || str[0] === '+' ? 1 : 0;
  pos = scan(str, pos, (c) => c === '0'); // strip leading zeros
  if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };

  let i = scan(str, pos, isDigit);
  if (i >= end) return { positive, value: str, num: str.slice(pos), denom: '', suffix: '' };
  const num = str.slice(pos, i) || '0';
  pos = i;

  let denom = '';
  if (str[pos] === '.') {
    i = scan(str, pos + 1, isDigit);
    if (i >= end) return { positive, value: str, num, denom: str.slice(pos + 1), suffix: '' };
    denom = str.slice(pos + 1, i);
    pos = i;
  }
  const value = str.slice(0, pos);

  const suffixStart = pos;
  pos = scan(str, pos, (c) => SUFFIX_CHARS.includes(c));
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  if (scan(str, pos, isDigit) < end) throw new QuantityError(ERR_FORMAT_WRONG);
  return { positive, value, num, denom, suffix: str.slice(suffixStart) };
}

// ---------------------------------------------------------------------------------------------
// suffix.go interpret

interface SuffixInfo {
  base: 2 | 10;
  exponent: number;
  format: QuantityFormat;
}

/** strconv.ParseInt(s, 10, 64), then bounded to [-MaxInt32, MaxInt32]. */
function parseExponent(s: string): number | undefined {
  const digitsFrom = s[0] === '+' || s[0] === '-' ? 1 : 0;
  if (s.length === digitsFrom || scan(s, digitsFrom, isDigit) !== s.length) return undefined;
  const n = BigInt(s);
  return abs(n) > BigInt(MAX_INT32) ? undefined : Number(n);
}

function interpretSuffix(s: string): SuffixInfo | undefined {
  const dec = DECIMAL_SUFFIXES.get(s);
  if (dec !== undefined) return { base: 10, exponent: dec, format: 'DecimalSI' };
  const bin = BINARY_SUFFIXES.get(s);
  if (bin !== undefined) return { base: 2, exponent: bin, format: 'BinarySI' };
  if (s.length > 1 && (s[0] === 'e' || s[0] === 'E')) {
    const exponent = parseExponent(s.slice(1));
    if (exponent !== undefined) return { base: 10, exponent, format: 'DecimalExponent' };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// ParseQuantity

/** A parsed value `m × 10^e`, and the input string when upstream keeps it for String(). */
interface Parsed {
  m: bigint;
  e: number;
  format: QuantityFormat;
  s?: string;
}

/** The int64 fast path of ParseQuantity; undefined when upstream would take the inf.Dec path. */
function parseFast(str: string, sp: Split, sx: SuffixInfo): Parsed | undefined {
  let precision: number;
  let scale = 0;
  if (sx.format === 'BinarySI') {
    if (sx.exponent < 0 || sp.denom.length > 0) return undefined;
    precision = 15 - sp.num.length - Math.trunc((sx.exponent * 3) / 10) - 1;
  } else {
    scale = sx.exponent;
    precision = MAX_INT64_FACTORS - (sp.num.length + sp.denom.length);
  }
  if (precision < 0) return undefined;
  scale -= sp.denom.length;
  if (scale < NANO) return undefined;

  const shifted = sp.num + sp.denom;
  const value = BigInt(shifted);
  const magnitude = sx.base === 2 ? value << BigInt(sx.exponent) : value;
  if (magnitude > MOST_POSITIVE) return undefined;
  const result = sp.positive ? magnitude : -magnitude;
  // "if the number is in canonical form, reuse the string": String() then returns the input as is.
  const canonical =
    sx.format === 'BinarySI'
      ? sx.exponent % 10 === 0 && (value & 7n) !== 0n
      : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
  return canonical ? { m: result, e: scale, format: sx.format, s: str } : { m: result, e: scale, format: sx.format };
}

/** The inf.Dec path: exact value, rounded up to 1n, BinarySI capped at 2^63-1. */
function parseSlow(sp: Split, sx: SuffixInfo): Parsed {
  if (![...sp.value].some(isDigit)) throw new QuantityError(ERR_NUMERIC);
  let m = BigInt(sp.num + sp.denom);
  let e = -sp.denom.length;
  if (sx.base === 10) e += sx.exponent;
  else m <<= BigInt(sx.exponent);

  if (m !== 0n && e < NANO) {
    m = divPow10AwayFromZero(m, NANO - e);
    e = NANO;
  }
  let format = sx.format;
  if (format === 'BinarySI' && cmpAbs(m, e, MOST_POSITIVE, 0) > 0) [m, e] = [MOST_POSITIVE, 0];
  if (format === 'BinarySI' && m !== 0n && cmpAbs(m, e, 1n, 0) < 0) format = 'DecimalSI';
  return { m: sp.positive ? m : -m, e, format };
}

function parseOrThrow(str: string): Parsed {
  if (str.length === 0) throw new QuantityError(ERR_FORMAT_WRONG);
  if (str === '0') return { m: 0n, e: 0, format: 'DecimalSI', s: str };
  const sp = splitQuantity(str);
  const sx = interpretSuffix(sp.suffix);
  if (sx === undefined) throw new QuantityError(ERR_SUFFIX);
  return parseFast(str, sp, sx) ?? parseSlow(sp, sx);
}

// ---------------------------------------------------------------------------------------------
// Quantity

export class Quantity {
  readonly format: QuantityFormat;
  readonly #m: bigint;
  readonly #e: number;
  /** Upstream's `s`: the parsed string, kept when it was already in canonical form. */
  readonly #s: string | undefined;

  private constructor(m: bigint, e: number, format: QuantityFormat, s: string | undefined) {
    [this.#m, this.#e] = normalize(m, e);
    this.format = format;
    this.#s = s;
  }

  /** ParseQuantity: throws QuantityError with upstream's message on bad input. */
  static parse(s: string): Quantity {
    const p = parseOrThrow(s);
    return new Quantity(p.m, p.e, p.format, p.s);
  }

  /** NewMilliQuantity: milli / 1000. */
  static fromMilli(milli: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(assertInteger(milli, 'milli value'), -3, format, undefined);
  }

  /** NewQuantity: an integer value. */
  static fromValue(value: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(assertInteger(value, 'value'), 0, format, undefined);
  }

  /** NewScaledQuantity (with a format, like the tests' decQuantity): value × 10^scale. */
  static fromScaled(value: bigint | number, scale: number, format: QuantityFormat = 'DecimalSI'): Quantity {
    if (!Number.isSafeInteger(scale)) throw new QuantityError(`scale must be a safe integer, got ${scale}`);
    return new Quantity(assertInteger(value, 'value'), scale, format, undefined);
  }

  /** Sign(): -1, 0 or 1. */
  sign(): -1 | 0 | 1 {
    return sign(this.#m);
  }

  isZero(): boolean {
    return this.#m === 0n;
  }

  cmp(other: Quantity): -1 | 0 | 1 {
    const s1 = this.sign();
    const s2 = other.sign();
    if (s1 !== s2) return s1 < s2 ? -1 : 1;
    const c = cmpAbs(this.#m, this.#e, other.#m, other.#e);
    return s1 < 0 ? (-c as -1 | 0 | 1) : c;
  }

  equals(other: Quantity): boolean {
    return this.cmp(other) === 0;
  }

  /** Add: a zero receiver takes the other's format, otherwise the receiver's format is kept. */
  add(other: Quantity): Quantity {
    const format = this.isZero() ? other.format : this.format;
    if (other.isZero()) return new Quantity(this.#m, this.#e, format, undefined);
    if (this.isZero()) return new Quantity(other.#m, other.#e, format, undefined);
    const e = Math.min(this.#e, other.#e);
    const m = shiftLeft(this.#m, this.#e - e) + shiftLeft(other.#m, other.#e - e);
    return new Quantity(m, e, format, undefined);
  }

  /** Sub: same format rule as Add (Neg keeps the format). */
  sub(other: Quantity): Quantity {
    return this.add(other.neg());
  }

  /** Neg: same format. */
  neg(): Quantity {
    return new Quantity(-this.#m, this.#e, this.format, undefined);
  }

  /** ScaledValue(scale): ceil(q / 10^scale), rounding away from zero; must be a safe integer. */
  scaledValue(scale: number): number {
    const k = this.#e - scale;
    if (k >= 0 && this.#m !== 0n && digitCount(this.#m) + k > 16) throw this.unsafe(scale);
    const v = k >= 0 ? this.#m * pow10(k) : divPow10AwayFromZero(this.#m, -k);
    if (abs(v) > BigInt(Number.MAX_SAFE_INTEGER)) throw this.unsafe(scale);
    return Number(v);
  }

  /** MilliValue(): ceil(q × 1000), away from zero. */
  milliValue(): number {
    return this.scaledValue(-3);
  }

  /** Value(): ceil(q), away from zero. */
  value(): number {
    return this.scaledValue(0);
  }

  /** String(): the parsed string when upstream kept it, else CanonicalizeBytes. */
  toString(): string {
    return this.#s ?? this.canonicalize();
  }

  /** MarshalJSON emits String(). */
  toJSON(): string {
    return this.toString();
  }

  private unsafe(scale: number): QuantityError {
    return new QuantityError(`quantity ${this.toString()} at scale ${scale} is not a safe integer`);
  }

  /** CanonicalizeBytes. */
  private canonicalize(): string {
    if (this.isZero()) return '0';
    if (this.format === 'BinarySI') {
      const binary = this.canonicalBinary();
      if (binary !== undefined) return binary;
      return this.canonicalDecimal('DecimalSI');
    }
    return this.canonicalDecimal(this.format);
  }

  /** AsCanonicalBytes + a base-10 suffix: the exponent is lowered to a multiple of 3. */
  private canonicalDecimal(format: QuantityFormat): string {
    const r = ((this.#e % 3) + 3) % 3;
    const exponent = this.#e - r;
    const number = (this.#m * pow10(r)).toString();
    const suffix = format === 'DecimalSI' ? DECIMAL_BY_EXPONENT.get(exponent) : undefined;
    return number + (suffix ?? (exponent === 0 ? '' : `e${exponent}`));
  }

  /**
   * The BinarySI branch: values in (-1024, 1024) and non-integers are shown as DecimalSI
   * (undefined here); a power of 1024 past Ei is shown in exponent notation. With e >= 70 the
   * value has at least 70 factors of two, so it is past Ei without being multiplied out.
   */
  private canonicalBinary(): string | undefined {
    if (cmpAbs(this.#m, this.#e, 1024n, 0) < 0 || this.#e < 0) return undefined;
    if (this.#e >= 70) return this.canonicalDecimal('DecimalExponent');
    let n = this.#m * pow10(this.#e);
    let power = 0;
    while (n % 1024n === 0n) {
      n /= 1024n;
      power++;
    }
    if (power === 0) return n.toString();
    const suffix = BINARY_BY_POWER.get(power);
    return suffix === undefined ? this.canonicalDecimal('DecimalExponent') : n.toString() + suffix;
  }
}

// ---------------------------------------------------------------------------------------------
// Non-throwing entry points

export type QuantityResult = { ok: true; quantity: Quantity } | { ok: false; message: string };

/** ParseQuantity without exceptions. */
export function parseQuantity(s: string): QuantityResult {
  try {
    return { ok: true, quantity: Quantity.parse(s) };
  } catch (err) {
    if (err instanceof QuantityError) return { ok: false, message: err.message };
    throw err;
  }
}

export function isQuantity(s: string): boolean {
  return parseQuantity(s).ok;
}

/**
 * A manifest value: a string, or a number as YAML gives for `cpu: 2`, formatted with String()
 * first (so 1000 parses as "1000", not as JSON's literal "1e3"). Non-finite numbers format as
 * "NaN"/"Infinity" and fail with ErrFormatWrong.
 */
export function parseQuantityValue(v: unknown): QuantityResult {
  if (typeof v === 'string') return parseQuantity(v);
  if (typeof v === 'number') return parseQuantity(String(v));
  return { ok: false, message: ERR_NOT_STRING_OR_NUMBER };
}
