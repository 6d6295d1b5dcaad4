// Rows transcribed from kubernetes/kubernetes
// staging/src/k8s.io/apimachinery/pkg/api/resource/quantity_test.go; each table names its test.
// Helpers: dec(m, e, format) is upstream's decQuantity/intQuantity (m × 10^e, no rounding);
// `zero()` is upstream's `Quantity{Format: DecimalSI}`.
//
// Not transcribed (Go-only API or internal representation): TestDec, TestBigDec,
// TestParseQuantityString (internal scanner), TestQuantityRoundUp (RoundUp), TestMul (Mul),
// TestQuantityDeepCopy, TestDeepCopy, TestJSON, TestJSONWhitespace (UnmarshalJSON trims spaces),
// TestQuantityUnmarshalCBOR, TestQuantityRoundtripCBOR, TestQuantityValueSet (pflag),
// TestQuantityAsApproximateFloat64, TestQuantityAsFloat64Slow and their string variants (floats),
// TestUninitializedNoCrash, TestQuantityPtrEqual, TestMostNegativeAtUnrepresentableScaleStaysInt64,
// TestZeroSubMostNegativePreservesScale (inf.Dec scale bookkeeping), TestAddSubRoundTrip* and
// TestNegateRoundTrip (math/rand), TestMustParseNearMaxInt64 and the AsInt64 columns of
// TestParseQuantity (int64 backend), the "invalidFormatDefaultsToExponent" rows (not a
// QuantityFormat), and protobuf/benchmarks.
import t from 'tap';
import {
  ERR_FORMAT_WRONG,
  ERR_NOT_STRING_OR_NUMBER,
  ERR_NUMERIC,
  ERR_SUFFIX,
  Quantity,
  QuantityError,
  type QuantityFormat,
  isQuantity,
  parseQuantity,
  parseQuantityValue,
} from '../../src/api/quantity.js';

const DecimalSI: QuantityFormat = 'DecimalSI';
const BinarySI: QuantityFormat = 'BinarySI';
const DecimalExponent: QuantityFormat = 'DecimalExponent';
const mostPositive = (1n << 63n) - 1n;
const mostNegative = -(1n << 63n);
const Ki = 1024n;

function dec(m: bigint | number, e: number, format: QuantityFormat): Quantity {
  return Quantity.fromScaled(BigInt(m), e, format);
}

function zero(): Quantity {
  return Quantity.fromValue(0, DecimalSI);
}

/** A plain decimal string ("-12.5") as an exact quantity, like upstream's ptrDec. */
function decString(s: string): Quantity {
  const [int = '', frac = ''] = s.replace('-', '').split('.');
  const m = BigInt(int + frac);
  return Quantity.fromScaled(s.startsWith('-') ? -m : m, -frac.length, DecimalSI);
}

// quantity_test.go TestQuantityParse: input -> expected value and format.
const parseRows: Array<[string, Quantity]> = [
  ['0', dec(0, 0, DecimalSI)],
  ['0n', dec(0, 0, DecimalSI)],
  ['0u', dec(0, 0, DecimalSI)],
  ['0m', dec(0, 0, DecimalSI)],
  ['0Ki', dec(0, 0, BinarySI)],
  ['0k', dec(0, 0, DecimalSI)],
  ['0Mi', dec(0, 0, BinarySI)],
  ['0M', dec(0, 0, DecimalSI)],
  ['0Gi', dec(0, 0, BinarySI)],
  ['0G', dec(0, 0, DecimalSI)],
  ['0Ti', dec(0, 0, BinarySI)],
  ['0T', dec(0, 0, DecimalSI)],

  // Quantity less numbers are allowed
  ['1', dec(1, 0, DecimalSI)],

  // Binary suffixes
  ['1Ki', dec(Ki, 0, BinarySI)],
  ['8Ki', dec(8n * Ki, 0, BinarySI)],
  ['7Mi', dec(7n * Ki ** 2n, 0, BinarySI)],
  ['6Gi', dec(6n * Ki ** 3n, 0, BinarySI)],
  ['5Ti', dec(5n * Ki ** 4n, 0, BinarySI)],
  ['4Pi', dec(4n * Ki ** 5n, 0, BinarySI)],
  ['3Ei', dec(3n * Ki ** 6n, 0, BinarySI)],

  ['10Ti', dec(10n * Ki ** 4n, 0, BinarySI)],
  ['100Ti', dec(100n * Ki ** 4n, 0, BinarySI)],

  // Decimal suffixes
  ['5n', dec(5, -9, DecimalSI)],
  ['4u', dec(4, -6, DecimalSI)],
  ['3m', dec(3, -3, DecimalSI)],
  ['9', dec(9, 0, DecimalSI)],
  ['8k', dec(8, 3, DecimalSI)],
  ['50k', dec(5, 4, DecimalSI)],
  ['7M', dec(7, 6, DecimalSI)],
  ['6G', dec(6, 9, DecimalSI)],
  ['5T', dec(5, 12, DecimalSI)],
  ['40T', dec(4, 13, DecimalSI)],
  ['300T', dec(3, 14, DecimalSI)],
  ['2P', dec(2, 15, DecimalSI)],
  ['1E', dec(1, 18, DecimalSI)],

  // Decimal exponents
  ['1E-3', dec(1, -3, DecimalExponent)],
  ['1e3', dec(1, 3, DecimalExponent)],
  ['1E6', dec(1, 6, DecimalExponent)],
  ['1e9', dec(1, 9, DecimalExponent)],
  ['1E12', dec(1, 12, DecimalExponent)],
  ['1e15', dec(1, 15, DecimalExponent)],
  ['1E18', dec(1, 18, DecimalExponent)],

  // Nonstandard but still parsable
  ['1e14', dec(1, 14, DecimalExponent)],
  ['1e13', dec(1, 13, DecimalExponent)],
  ['1e3', dec(1, 3, DecimalExponent)],
  ['100.035k', dec(100035, 0, DecimalSI)],

  // Things that look like floating point
  ['0.001', dec(1, -3, DecimalSI)],
  ['0.0005k', dec(5, -1, DecimalSI)],
  ['0.005', dec(5, -3, DecimalSI)],
  ['0.05', dec(5, -2, DecimalSI)],
  ['0.5', dec(5, -1, DecimalSI)],
  ['0.00050k', dec(5, -1, DecimalSI)],
  ['0.00500', dec(5, -3, DecimalSI)],
  ['0.05000', dec(5, -2, DecimalSI)],
  ['0.50000', dec(5, -1, DecimalSI)],
  ['0.5e0', dec(5, -1, DecimalExponent)],
  ['0.5e-1', dec(5, -2, DecimalExponent)],
  ['0.5e-2', dec(5, -3, DecimalExponent)],
  ['0.5e0', dec(5, -1, DecimalExponent)],
  ['10.035M', dec(10035, 3, DecimalSI)],

  ['1.2e3', dec(12, 2, DecimalExponent)],
  ['1.3E+6', dec(13, 5, DecimalExponent)],
  ['1.40e9', dec(14, 8, DecimalExponent)],
  ['1.53E12', dec(153, 10, DecimalExponent)],
  ['1.6e15', dec(16, 14, DecimalExponent)],
  ['1.7E18', dec(17, 17, DecimalExponent)],

  ['9.01', dec(901, -2, DecimalSI)],
  ['8.1k', dec(81, 2, DecimalSI)],
  ['7.123456M', dec(7123456, 0, DecimalSI)],
  ['6.987654321G', dec(6987654321, 0, DecimalSI)],
  ['5.444T', dec(5444, 9, DecimalSI)],
  ['40.1T', dec(401, 11, DecimalSI)],
  ['300.2T', dec(3002, 11, DecimalSI)],
  ['2.5P', dec(25, 14, DecimalSI)],
  ['1.01E', dec(101, 16, DecimalSI)],

  // Things that saturate/round
  ['3.001n', dec(4, -9, DecimalSI)],
  ['1.1E-9', dec(2, -9, DecimalExponent)],
  ['0.0000000001', dec(1, -9, DecimalSI)],
  ['0.0000000005', dec(1, -9, DecimalSI)],
  ['0.00000000050', dec(1, -9, DecimalSI)],
  ['0.5e-9', dec(1, -9, DecimalExponent)],
  ['0.9n', dec(1, -9, DecimalSI)],
  ['0.00000012345', dec(124, -9, DecimalSI)],
  ['0.00000012354', dec(124, -9, DecimalSI)],
  ['9Ei', dec(mostPositive, 0, BinarySI)],
  ['9223372036854775807Ki', dec(mostPositive, 0, BinarySI)],
  ['12E', dec(12, 18, DecimalSI)],

  // We'll accept fractional binary stuff, too.
  ['100.035Ki', dec(10243584, -2, BinarySI)],
  ['0.5Mi', dec(512n * Ki, 0, BinarySI)],
  ['0.05Gi', dec(536870912, -1, BinarySI)],
  ['0.025Ti', dec(274877906944, -1, BinarySI)],

  // Things written by trolls
  ['0.000000000001Ki', dec(2, -9, DecimalSI)], // rounds up, changes format
  ['.001', dec(1, -3, DecimalSI)],
  ['.0001k', dec(100, -3, DecimalSI)],
  ['1.', dec(1, 0, DecimalSI)],
  ['1.G', dec(1, 9, DecimalSI)],
];

t.test('TestQuantityParse: value and format, plain, negated and with an explicit +', async (t) => {
  t.throws(() => Quantity.parse(''), new QuantityError(ERR_FORMAT_WRONG), 'empty string');
  for (const [input, expect] of parseRows) {
    const got = Quantity.parse(input);
    t.equal(got.cmp(expect), 0, `${input}: value ${got} vs ${expect}`);
    t.equal(got.format, expect.format, `${input}: format`);

    const negated = Quantity.parse(`-${input}`);
    t.equal(negated.cmp(zero().sub(expect)), 0, `-${input}: value ${negated}`);
    t.equal(negated.format, expect.format, `-${input}: format`);

    const plus = Quantity.parse(`+${input}`);
    t.equal(plus.cmp(expect), 0, `+${input}: value ${plus}`);
    t.equal(plus.format, expect.format, `+${input}: format`);
  }
});

// quantity_test.go TestQuantityParse, the `invalid` list. Upstream only checks that an error is
// returned; the expected message per row is read off parseQuantityString/interpret.
const invalidRows: Array<[string, string]> = [
  ['1.1.M', ERR_FORMAT_WRONG],
  ['1+1.0M', ERR_FORMAT_WRONG],
  ['0.1mi', ERR_SUFFIX],
  ['0.1am', ERR_FORMAT_WRONG],
  ['aoeu', ERR_FORMAT_WRONG],
  ['.5i', ERR_SUFFIX],
  ['1i', ERR_SUFFIX],
  ['-3.01i', ERR_SUFFIX],
  ['-3.01e-', ERR_SUFFIX],
  // an exponent outside the int32 scale is rejected rather than truncated
  ['1e4294967297', ERR_SUFFIX],
  // trailing whitespace is forbidden
  [' 1', ERR_FORMAT_WRONG],
  ['1 ', ERR_FORMAT_WRONG],
];

t.test('TestQuantityParse: invalid inputs', async (t) => {
  for (const [input, message] of invalidRows) {
    t.throws(() => Quantity.parse(input), new QuantityError(message), JSON.stringify(input));
    t.same(parseQuantity(input), { ok: false, message }, `parseQuantity(${JSON.stringify(input)})`);
    t.equal(isQuantity(input), false, `isQuantity(${JSON.stringify(input)})`);
  }
});

// quantity_test.go TestQuantityParseZero and TestQuantityParseNonNumericPanic.
t.test('TestQuantityParseZero / TestQuantityParseNonNumericPanic', async (t) => {
  t.equal(Quantity.parse('0').toString(), '0');
  t.equal(Quantity.parse('0').format, DecimalSI);
  t.throws(() => Quantity.parse('Non-Numeric'), new QuantityError(ERR_FORMAT_WRONG));
});

// quantity_test.go TestInterpretExponentInt32Bounds, checked through parse("1" + suffix).
const exponentBoundRows: Array<[string, Quantity | undefined]> = [
  ['e14', dec(1, 14, DecimalExponent)],
  ['E2147483647', dec(1, 2147483647, DecimalExponent)], // MaxInt32
  ['E-2147483647', dec(1, -9, DecimalExponent)], // -MaxInt32, then rounded up to 1n
  ['E2147483648', undefined], // MaxInt32 + 1
  ['E-2147483648', undefined], // MinInt32
  ['E4294967297', undefined], // 2^32 + 1
  ['E8589934592', undefined], // 2^33
  ['E9223372036854775807', undefined], // MaxInt64
  ['E9223372036854775808', undefined], // MaxInt64 + 1, past int64
  ['E6024865272343', undefined], // far past int32
];

t.test('TestInterpretExponentInt32Bounds', async (t) => {
  for (const [suffix, expect] of exponentBoundRows) {
    const r = parseQuantity(`1${suffix}`);
    if (expect === undefined) {
      t.same(r, { ok: false, message: ERR_SUFFIX }, suffix);
    } else {
      t.ok(r.ok && r.quantity.cmp(expect) === 0 && r.quantity.format === DecimalExponent, suffix);
    }
  }
});

// quantity_test.go TestQuantityString: {in, expect, alternate}.
const stringRows: Array<[Quantity, string, string]> = [
  [dec(Ki ** 3n, 0, BinarySI), '1Gi', '1024Mi'],
  [dec(300n * Ki ** 2n, 0, BinarySI), '300Mi', '307200Ki'],
  [dec(6n * Ki, 0, BinarySI), '6Ki', ''],
  [dec(1001n * Ki ** 3n, 0, BinarySI), '1001Gi', '1025024Mi'],
  [dec(Ki ** 4n, 0, BinarySI), '1Ti', '1024Gi'],
  [dec(5, 0, BinarySI), '5', '5000m'],
  [dec(500, -3, BinarySI), '500m', '0.5'],
  [dec(1, 9, DecimalSI), '1G', '1000M'],
  [dec(1000, 6, DecimalSI), '1G', '0.001T'],
  [dec(1000000, 3, DecimalSI), '1G', ''],
  [dec(1000000000, 0, DecimalSI), '1G', ''],
  [dec(1, -3, DecimalSI), '1m', '1000u'],
  [dec(80, -3, DecimalSI), '80m', ''],
  [dec(1080, -3, DecimalSI), '1080m', '1.08'],
  [dec(108, -2, DecimalSI), '1080m', '1080000000n'],
  [dec(10800, -4, DecimalSI), '1080m', ''],
  [dec(300, 6, DecimalSI), '300M', ''],
  [dec(1, 12, DecimalSI), '1T', ''],
  // DecimalSI has no suffix beyond "E" (10^18): exponent notation.
  [dec(1, 18, DecimalSI), '1E', ''],
  [dec(1, 21, DecimalSI), '1e21', '1000E'],
  [dec(5, 21, DecimalSI), '5e21', '5000E'],
  [dec(1, 24, DecimalSI), '1e24', '1000000E'],
  // BinarySI has no suffix beyond "Ei" (2^60): exact decimal representation.
  [dec(1, 70, BinarySI), '10e69', ''],
  [dec(2, 70, BinarySI), '20e69', ''],
  [dec(1, 72, BinarySI), '1e72', ''],
  [dec(1234567, 6, DecimalSI), '1234567M', ''],
  [dec(1234567, -3, BinarySI), '1234567m', ''],
  [dec(3, 3, DecimalSI), '3k', ''],
  [dec(1025, 0, BinarySI), '1025', ''],
  [dec(0, 0, DecimalSI), '0', ''],
  [dec(0, 0, BinarySI), '0', ''],
  [dec(1, 9, DecimalExponent), '1e9', '.001e12'],
  [dec(1, -3, DecimalExponent), '1e-3', '0.001e0'],
  [dec(1, -9, DecimalExponent), '1e-9', '1000e-12'],
  [dec(80, -3, DecimalExponent), '80e-3', ''],
  [dec(300, 6, DecimalExponent), '300e6', ''],
  [dec(1, 12, DecimalExponent), '1e12', ''],
  [dec(1, 3, DecimalExponent), '1e3', ''],
  [dec(3, 3, DecimalExponent), '3e3', ''],
  [dec(3, 3, DecimalSI), '3k', ''],
  [dec(0, 0, DecimalExponent), '0', '00'],
  [dec(1, -9, DecimalSI), '1n', ''],
  [dec(80, -9, DecimalSI), '80n', ''],
  [dec(1080, -9, DecimalSI), '1080n', ''],
  [dec(108, -8, DecimalSI), '1080n', ''],
  [dec(10800, -10, DecimalSI), '1080n', ''],
  [dec(1, -6, DecimalSI), '1u', ''],
  [dec(80, -6, DecimalSI), '80u', ''],
  [dec(1080, -6, DecimalSI), '1080u', ''],
];

t.test('TestQuantityString', async (t) => {
  for (const [q, expect, alternate] of stringRows) {
    t.equal(q.toString(), expect, `${q.format} ${expect}`);
    t.equal(Quantity.parse(expect).toString(), expect, `parse(${expect}) round trip`);
    if (alternate !== '') t.equal(Quantity.parse(alternate).toString(), expect, `alternate ${alternate}`);
    if (!q.isZero()) t.equal(q.neg().toString(), `-${expect}`, `negated ${expect}`);
  }
});

// quantity_test.go TestQuantityStringBelowNano.
t.test('TestQuantityStringBelowNano', async (t) => {
  t.equal(dec(1, -12, DecimalSI).toString(), '1e-12');
  t.equal(dec(1, -10, DecimalSI).toString(), '100e-12');
});

// quantity_test.go TestBinarySIZeroExponentString.
t.test('TestBinarySIZeroExponentString', async (t) => {
  t.equal(dec(2000, 0, BinarySI).toString(), '2000');
  t.equal(dec(-2000, 0, BinarySI).toString(), '-2000');
});

// quantity_test.go TestBinarySIPastEiArithmeticRoundTrip (1Ei × 1024, here by ten doublings).
t.test('TestBinarySIPastEiArithmeticRoundTrip', async (t) => {
  let q = Quantity.parse('1Ei');
  for (let i = 0; i < 10; i++) q = q.add(q);
  t.equal(q.format, BinarySI);
  t.equal(q.toString(), '1180591620717411303424');
  t.equal(Quantity.parse(q.toString()).cmp(q), 0);
});

// quantity_test.go TestQuantityParseEmit.
const emitRows: Array<[string, string]> = [
  ['1Ki', '1Ki'],
  ['1Mi', '1Mi'],
  ['1Gi', '1Gi'],
  ['1024Mi', '1Gi'],
  ['1000M', '1G'],
  ['.001Ki', '1024m'],
  ['.000001Ki', '1024u'],
  ['.000000001Ki', '1024n'],
  ['.000000000001Ki', '2n'],
];

t.test('TestQuantityParseEmit', async (t) => {
  for (const [input, expect] of emitRows) {
    t.equal(Quantity.parse(input).toString(), expect, input);
    t.equal(Quantity.parse(`-${input}`).toString(), `-${expect}`, `-${input}`);
  }
});

// quantity_test.go TestParseQuantity: input -> exact value and String() ('' = the input itself).
const reserializeRows: Array<[string, string, string]> = [
  // min/max 18 digits
  ['-999999999999999999', '-999999999999999999', ''],
  ['999999999999999999', '999999999999999999', ''],
  ['-999999999999999999.0', '-999999999999999999', '-999999999999999999'],
  ['999999999999999999.0', '999999999999999999', '999999999999999999'],
  ['-999999999999999999.1', '-999999999999999999.1', '-999999999999999999100m'],
  ['999999999999999999.1', '999999999999999999.1', '999999999999999999100m'],
  // min/max 19 digits
  ['-9999999999999999999', '-9999999999999999999', ''],
  ['9999999999999999999', '9999999999999999999', ''],
  ['-1E', '-1000000000000000000', ''],
  ['1E', '1000000000000000000', ''],
  ['-1000000000000000000', '-1000000000000000000', '-1E'],
  ['1000000000000000000', '1000000000000000000', '1E'],
  ['-9999999999999999999.0', '-9999999999999999999', '-9999999999999999999'],
  ['9999999999999999999.0', '9999999999999999999', '9999999999999999999'],
  ['-1.0E', '-1000000000000000000', '-1E'],
  ['1.0E', '1000000000000000000', '1E'],
  ['-1000000000000000000.0', '-1000000000000000000', '-1E'],
  ['1000000000000000000.0', '1000000000000000000', '1E'],
  ['-9999999999999999999000m', '-9999999999999999999', '-9999999999999999999'],
  ['9999999999999999999000m', '9999999999999999999', '9999999999999999999'],
  ['-9999999999999999999.1', '-9999999999999999999.1', '-9999999999999999999100m'],
  ['9999999999999999999.1', '9999999999999999999.1', '9999999999999999999100m'],
  ['-1.0000000000000000001E', '-1000000000000000000.1', '-1000000000000000000100m'],
  ['1.0000000000000000001E', '1000000000000000000.1', '1000000000000000000100m'],
  ['-1000000000000000000.1', '-1000000000000000000.1', '-1000000000000000000100m'],
  ['1000000000000000000.1', '1000000000000000000.1', '1000000000000000000100m'],
  ['-1.000000000000000001E', '-1000000000000000001', '-1000000000000000001'],
  ['1.000000000000000001E', '1000000000000000001', '1000000000000000001'],
  ['-1000000000000000001', '-1000000000000000001', ''],
  ['1000000000000000001', '1000000000000000001', ''],
  // min/max 20 digits
  ['-10E', '-10000000000000000000', ''],
  ['10E', '10000000000000000000', ''],
  ['-10000000000000000000', '-10000000000000000000', '-10E'],
  ['10000000000000000000', '10000000000000000000', '10E'],
  ['-10.0E', '-10000000000000000000', '-10E'],
  ['10.0E', '10000000000000000000', '10E'],
  ['-10000000000000000000.0', '-10000000000000000000', '-10E'],
  ['10000000000000000000.0', '10000000000000000000', '10E'],
  ['-10000000000000000000000m', '-10000000000000000000', '-10E'],
  ['10000000000000000000000m', '10000000000000000000', '10E'],
  ['-10.0000000000000000001E', '-10000000000000000000.1', '-10000000000000000000100m'],
  ['10.0000000000000000001E', '10000000000000000000.1', '10000000000000000000100m'],
  ['-10000000000000000000.1', '-10000000000000000000.1', '-10000000000000000000100m'],
  ['10000000000000000000.1', '10000000000000000000.1', '10000000000000000000100m'],
  ['-10.000000000000000001E', '-10000000000000000001', '-10000000000000000001'],
  ['10.000000000000000001E', '10000000000000000001', '10000000000000000001'],
  ['-10000000000000000001', '-10000000000000000001', ''],
  ['10000000000000000001', '10000000000000000001', ''],
  // min/max int64 - 1
  ['-9223372036854775809', '-9223372036854775809', ''],
  ['9223372036854775806', '9223372036854775806', ''],
  ['-9223372036854775809.0', '-9223372036854775809', '-9223372036854775809'],
  ['9223372036854775806.0', '9223372036854775806', '9223372036854775806'],
  ['-9223372036854775809000m', '-9223372036854775809', '-9223372036854775809'],
  ['9223372036854775806000m', '9223372036854775806', '9223372036854775806'],
  ['-9223372036854775809.1', '-9223372036854775809.1', '-9223372036854775809100m'],
  ['9223372036854775806.1', '9223372036854775806.1', '9223372036854775806100m'],
  // min/max int64
  ['-9223372036854775808', '-9223372036854775808', ''],
  ['9223372036854775807', '9223372036854775807', ''],
  ['-9223372036854775808.0', '-9223372036854775808', '-9223372036854775808'],
  ['9223372036854775807.0', '9223372036854775807', '9223372036854775807'],
  ['-9223372036854775808000m', '-9223372036854775808', '-9223372036854775808'],
  ['9223372036854775807000m', '9223372036854775807', '9223372036854775807'],
  ['-9223372036854775808.1', '-9223372036854775808.1', '-9223372036854775808100m'],
  ['9223372036854775807.1', '9223372036854775807.1', '9223372036854775807100m'],
  // min/max int64 + 1
  ['-9223372036854775807', '-9223372036854775807', ''],
  ['9223372036854775808', '9223372036854775808', ''],
  ['-9223372036854775807.0', '-9223372036854775807', '-9223372036854775807'],
  ['9223372036854775808.0', '9223372036854775808', '9223372036854775808'],
  ['-9223372036854775807000m', '-9223372036854775807', '-9223372036854775807'],
  ['9223372036854775808000m', '9223372036854775808', '9223372036854775808'],
  ['-9223372036854775807.1', '-9223372036854775807.1', '-9223372036854775807100m'],
  ['9223372036854775808.1', '9223372036854775808.1', '9223372036854775808100m'],
];

t.test('TestParseQuantity: exact value and reserialization', async (t) => {
  for (const [input, value, canonical] of reserializeRows) {
    const q = Quantity.parse(input);
    t.equal(q.cmp(decString(value)), 0, `${input}: value`);
    t.equal(q.toString(), canonical === '' ? input : canonical, `${input}: String()`);
  }
});

// Not an upstream row: String() returns the parsed input when ParseQuantity's fast path judged it
// canonical (quantity.go: "if the number is in canonical form, reuse the string"), even with a
// '+' sign, leading zeros or an upper-case/plus exponent; otherwise it recomputes.
const keptStringRows: Array<[string, string]> = [
  ['+1k', '+1k'],
  ['01', '01'],
  ['1E3', '1E3'],
  ['1e+3', '1e+3'],
  ['+1Ki', '+1Ki'],
  ['1500m', '1500m'],
  ['1.5', '1500m'],
  ['1.0', '1'],
  ['+1000', '1k'],
  ['1024Ki', '1Mi'],
];

t.test('quantity.go ParseQuantity: canonical input string kept for String()', async (t) => {
  for (const [input, expect] of keptStringRows) t.equal(Quantity.parse(input).toString(), expect, input);
});

// Not an upstream row: inputs the scanner accepts without digits, and the inf.Dec path's
// ErrNumeric when such an input misses the int64 fast path (quantity.go ParseQuantity).
const digitlessRows: Array<[string, string | undefined]> = [
  ['.', '0'],
  ['-.', '0'],
  ['-', '0'],
  ['k', '0'],
  ['Ki', '0'],
  ['Pi', undefined],
  ['-Ei', undefined],
  ['e-10', undefined],
  ['.e-10', undefined],
];

t.test('quantity.go ParseQuantity: digitless values', async (t) => {
  for (const [input, expect] of digitlessRows) {
    const r = parseQuantity(input);
    if (expect === undefined) t.same(r, { ok: false, message: ERR_NUMERIC }, input);
    else t.equal(r.ok && r.quantity.isZero() ? r.quantity.toString() : JSON.stringify(r), expect, input);
  }
});

// quantity_test.go TestQuantityCmp (both tables; a nil inf.Dec is zero).
const cmpRows: Array<[Quantity, Quantity, number]> = [
  [Quantity.parse('0'), Quantity.parse('0'), 0],
  [Quantity.parse('100m'), Quantity.parse('50m'), 1],
  [Quantity.parse('50m'), Quantity.parse('100m'), -1],
  [Quantity.parse('10000T'), Quantity.parse('100Gi'), 1],
  [dec(0, 0, DecimalSI), dec(0, 0, DecimalSI), 0],
  [zero(), dec(0, 0, DecimalSI), 0],
  [dec(0, 0, DecimalSI), zero(), 0],
  [zero(), zero(), 0],
  [zero(), dec(10, 0, DecimalSI), -1],
  [zero(), dec(-10, 0, DecimalSI), 1],
  [dec(10, 0, DecimalSI), zero(), 1],
  [dec(-10, 0, DecimalSI), zero(), -1],
];

// quantity_test.go TestQuantityCmpInt64AndDec (checked both ways round, as upstream does).
const cmpInt64Rows: Array<[Quantity, Quantity, number]> = [
  [dec(901, -2, DecimalSI), dec(901, -2, DecimalSI), 0],
  [dec(90, -1, DecimalSI), dec(901, -2, DecimalSI), -1],
  [dec(901, -2, DecimalSI), dec(900, -2, DecimalSI), 1],
  [dec(0, 0, DecimalSI), dec(0, 0, DecimalSI), 0],
  [dec(0, 1, DecimalSI), dec(0, -1, DecimalSI), 0],
  [dec(0, -1, DecimalSI), dec(0, 1, DecimalSI), 0],
  [dec(800, -3, DecimalSI), dec(1, 0, DecimalSI), -1],
  [dec(800, -3, DecimalSI), dec(79, -2, DecimalSI), 1],

  [dec(mostPositive, 0, DecimalSI), dec(1, -1, DecimalSI), 1],
  [dec(mostPositive, 1, DecimalSI), dec(1, 0, DecimalSI), 1],
  [dec(mostPositive, 1, DecimalSI), dec(1, 1, DecimalSI), 1],
  [dec(mostPositive, 1, DecimalSI), dec(0, 1, DecimalSI), 1],
  [dec(mostPositive, -16, DecimalSI), dec(1, 3, DecimalSI), -1],

  [dec(mostNegative, 0, DecimalSI), dec(0, 0, DecimalSI), -1],
  [dec(mostNegative, -18, DecimalSI), dec(-1, 0, DecimalSI), -1],
  [dec(mostNegative, -19, DecimalSI), dec(-1, 0, DecimalSI), 1],

  [dec(10n ** 18n, -17, DecimalSI), dec(1, 1, DecimalSI), 0],
  [dec(10n ** 18n, -17, DecimalSI), dec(-10, 0, DecimalSI), 1],
  [dec(-(10n ** 18n), -17, DecimalSI), dec(-10, 0, DecimalSI), 0],
  [dec(10n ** 18n, -17, DecimalSI), dec(1, 0, DecimalSI), 1],

  [dec(10n ** 18n + 1n, -17, DecimalSI), dec(1, 1, DecimalSI), 1],
  [dec(10n ** 18n - 1n, -17, DecimalSI), dec(1, 1, DecimalSI), -1],
];

t.test('TestQuantityCmp / TestQuantityCmpInt64AndDec', async (t) => {
  for (const [a, b, expect] of [...cmpRows, ...cmpInt64Rows]) {
    t.equal(a.cmp(b), expect, `cmp(${a}, ${b})`);
    t.equal(b.cmp(a), -expect || 0, `cmp(${b}, ${a})`);
  }
});

// quantity_test.go TestAdd and TestSub. Upstream checks the value; the format column follows
// Add/Sub's rule (a zero receiver takes the operand's format).
const addRows: Array<[Quantity, Quantity, Quantity]> = [
  [dec(10, 0, DecimalSI), dec(1, 1, DecimalSI), dec(20, 0, DecimalSI)],
  [dec(10, 0, DecimalSI), dec(1, 0, BinarySI), dec(11, 0, DecimalSI)],
  [dec(10, 0, BinarySI), dec(1, 0, DecimalSI), dec(11, 0, BinarySI)],
  [zero(), dec(50, 0, DecimalSI), dec(50, 0, DecimalSI)],
  [dec(50, 0, DecimalSI), zero(), dec(50, 0, DecimalSI)],
  [zero(), zero(), dec(0, 0, DecimalSI)],
];
const subRows: Array<[Quantity, Quantity, Quantity]> = [
  [dec(10, 0, DecimalSI), dec(1, 1, DecimalSI), dec(0, 0, DecimalSI)],
  [dec(10, 0, DecimalSI), dec(1, 0, BinarySI), dec(9, 0, DecimalSI)],
  [dec(10, 0, BinarySI), dec(1, 0, DecimalSI), dec(9, 0, BinarySI)],
  [zero(), dec(50, 0, DecimalSI), dec(-50, 0, DecimalSI)],
  [dec(50, 0, DecimalSI), zero(), dec(50, 0, DecimalSI)],
  [zero(), zero(), dec(0, 0, DecimalSI)],
];

t.test('TestAdd / TestSub', async (t) => {
  for (const [a, b, expect] of addRows) {
    const got = a.add(b);
    t.equal(got.cmp(expect), 0, `${a} + ${b} = ${got}`);
    t.equal(got.format, expect.format, `${a} + ${b}: format`);
  }
  for (const [a, b, expect] of subRows) {
    const got = a.sub(b);
    t.equal(got.cmp(expect), 0, `${a} - ${b} = ${got}`);
    t.equal(got.format, expect.format, `${a} - ${b}: format`);
  }
  const a = dec(10, 0, DecimalSI);
  a.add(dec(5, 0, DecimalSI));
  t.equal(a.toString(), '10', 'add does not mutate the receiver');
});

// quantity_test.go TestQuantityAddZeroPreservesSuffix and TestQuantitySubZeroPreservesSuffix.
t.test('TestQuantityAddZeroPreservesSuffix / TestQuantitySubZeroPreservesSuffix', async (t) => {
  for (const input of ['100m', '1Gi']) {
    const value = Quantity.parse(input);
    const z = Quantity.parse('0');
    t.equal(value.add(z).toString(), input, `${input} + 0`);
    t.equal(z.add(value).toString(), input, `0 + ${input}`);
    t.equal(value.sub(z).toString(), input, `${input} - 0`);
    t.equal(z.sub(value).toString(), value.neg().toString(), `0 - ${input}`);
    t.equal(z.sub(value).toString(), `-${input}`, `0 - ${input} spelled`);
  }
});

// quantity_test.go TestQuantityCanocicalizeZero (1000m - 1 is "0", not "0m").
t.test('TestQuantityCanocicalizeZero', async (t) => {
  t.equal(Quantity.parse('1000m').sub(Quantity.fromValue(1)).toString(), '0');
});

// quantity_test.go TestQuantityNeg and TestNeg.
t.test('TestQuantityNeg / TestNeg', async (t) => {
  const q = dec(901, -2, DecimalSI);
  t.equal(q.neg().toString(), '-9010m');
  t.not(q.neg().cmp(q), 0, 'negating does not mutate the source');
  const rows: Array<[Quantity, Quantity]> = [
    [dec(0, 0, DecimalSI), dec(0, 0, DecimalSI)],
    [zero(), zero()],
    [dec(10, 0, BinarySI), dec(-10, 0, BinarySI)],
    [dec(-10, 0, BinarySI), dec(10, 0, BinarySI)],
  ];
  for (const [a, expect] of rows) {
    t.equal(a.neg().cmp(expect), 0, `neg(${a})`);
    t.equal(a.neg().format, expect.format, `neg(${a}): format`);
  }
});

// quantity_test.go TestNegAndSubAtMostNegative, TestSubMostNegativeCrossScale and
// TestZeroSubMostNegativeInheritsFormat (values only; the int64/inf.Dec backend is not modelled).
t.test('TestNegAndSubAtMostNegative and neighbours', async (t) => {
  const want = Quantity.parse('9223372036854775808');
  const neg = dec(mostNegative, 0, DecimalSI).neg();
  t.equal(neg.toString(), '9223372036854775808');
  t.equal(neg.cmp(want), 0);
  t.equal(neg.sign(), 1);
  const sub = zero().sub(dec(mostNegative, 0, DecimalSI));
  t.equal(sub.toString(), '9223372036854775808');
  t.equal(sub.cmp(want), 0);
  const oneSub = dec(1, 0, DecimalSI).sub(dec(mostNegative, 0, DecimalSI));
  t.equal(oneSub.toString(), '9223372036854775809');
  t.equal(oneSub.cmp(Quantity.parse('9223372036854775809')), 0);
  t.equal(dec(mostNegative + 1n, 0, DecimalSI).neg().cmp(dec(mostPositive, 0, DecimalSI)), 0);
  t.equal(dec(mostNegative, -3, DecimalSI).neg().toString(), '9223372036854775808m');
  t.equal(dec(1, -3, DecimalSI).sub(dec(mostNegative, -3, DecimalSI)).toString(), '9223372036854775809m');
  t.equal(zero().sub(Quantity.fromScaled(mostNegative, -3)).toString(), '9223372036854775808m');

  // TestSubMostNegativeCrossScale
  t.equal(dec(1, 1, DecimalSI).sub(dec(mostNegative, 0, DecimalSI)).toString(), '9223372036854775818');

  // TestZeroSubMostNegativeInheritsFormat
  const inherited = zero().sub(dec(mostNegative, 0, BinarySI));
  t.equal(inherited.format, BinarySI);
  t.equal(inherited.toString(), '8Ei');
  t.equal(inherited.cmp(want), 0);
});

// quantity_test.go TestMilliNewSet (NewMilliQuantity); `exact` rows also round-trip MilliValue.
const milliRows: Array<[number, QuantityFormat, string, boolean]> = [
  [1, DecimalSI, '1m', true],
  [1000, DecimalSI, '1', true],
  [1234000, DecimalSI, '1234', true],
  [1024, BinarySI, '1024m', false], // Format changes
  [1024 * 1024, BinarySI, '1048576m', false], // Format changes
];

t.test('TestMilliNewSet', async (t) => {
  for (const [value, format, expect, exact] of milliRows) {
    const q = Quantity.fromMilli(value, format);
    t.equal(q.toString(), expect, `fromMilli(${value}, ${format})`);
    t.equal(Quantity.fromMilli(BigInt(value), format).toString(), expect, `fromMilli(${value}n)`);
    if (exact) t.equal(Quantity.parse(q.toString()).milliValue(), value, `${expect}.milliValue()`);
  }
});

// quantity_test.go TestNewSet (NewQuantity); the string round-trips through Value().
const newRows: Array<[number, QuantityFormat, string]> = [
  [1, DecimalSI, '1'],
  [1000, DecimalSI, '1k'],
  [1234000, DecimalSI, '1234k'],
  [1024, BinarySI, '1Ki'],
  [1024 * 1024, BinarySI, '1Mi'],
];

t.test('TestNewSet', async (t) => {
  for (const [value, format, expect] of newRows) {
    const q = Quantity.fromValue(value, format);
    t.equal(q.toString(), expect, `fromValue(${value}, ${format})`);
    t.equal(Quantity.parse(q.toString()).value(), value, `${expect}.value()`);
  }
});

// quantity_test.go TestNewScaledSet (NewScaledQuantity, round trip through ScaledValue).
const scaledRows: Array<[number, number, string]> = [
  [1, -9, '1n'],
  [1000, -9, '1u'],
  [1, -6, '1u'],
  [1000, -6, '1m'],
  [1, -3, '1m'],
  [1000, -3, '1'],
  [1, 0, '1'],
  [0, -9, '0'],
  [0, -6, '0'],
  [0, -3, '0'],
  [0, 0, '0'],
];

t.test('TestNewScaledSet', async (t) => {
  for (const [value, scale, expect] of scaledRows) {
    const q = Quantity.fromScaled(value, scale);
    t.equal(q.toString(), expect, `fromScaled(${value}, ${scale})`);
    t.equal(Quantity.parse(expect).scaledValue(scale), value, `${expect}.scaledValue(${scale})`);
  }
});

// quantity_test.go TestScaledValue: NewScaledQuantity(1, from).ScaledValue(to).
const scaledValueRows: Array<[number, number, number]> = [
  [-9, -9, 1],
  [-9, -6, 1],
  [-9, -3, 1],
  [-9, 0, 1],
  [-6, -9, 1000],
  [-6, -6, 1],
  [-6, -3, 1],
  [-6, 0, 1],
  [-3, -9, 1000 * 1000],
  [-3, -6, 1000],
  [-3, -3, 1],
  [-3, 0, 1],
  [0, -9, 1000 * 1000 * 1000],
  [0, -6, 1000 * 1000],
  [0, -3, 1000],
  [0, 0, 1],
  [2, -2, 100 * 100],
];

t.test('TestScaledValue', async (t) => {
  for (const [from, to, expect] of scaledValueRows) {
    t.equal(Quantity.fromScaled(1, from).scaledValue(to), expect, `1e${from} at scale ${to}`);
  }
});

// quantity_test.go TestNegativeValueRoundsAwayFromZero: input -> Value(), MilliValue().
const roundingRows: Array<[string, number, number]> = [
  ['-.484785E-7466', -1, -1],
  ['.484785E-7466', 1, 1],
  ['-.484785E-1', -1, -49],
  ['.484785E-1', 1, 49],
  ['-0.0005', -1, -1],
  ['0.0005', 1, 1],
  ['-1500m', -2, -1500],
  ['1500m', 2, 1500],
  ['-9.5000000001Gi', -10200547329, -10200547328108],
  ['9.5000000001Gi', 10200547329, 10200547328108],
  ['-1', -1, -1000],
  ['1', 1, 1000],
  ['0', 0, 0],
];

t.test('TestNegativeValueRoundsAwayFromZero', async (t) => {
  for (const [input, value, milli] of roundingRows) {
    const q = Quantity.parse(input);
    t.equal(q.value(), value, `${input}.value()`);
    t.equal(q.milliValue(), milli, `${input}.milliValue()`);
  }
});

// Not an upstream row: where upstream's int64 Value()/MilliValue() would wrap, we throw.
t.test('value()/milliValue() outside the safe-integer range throw', async (t) => {
  t.throws(() => Quantity.parse('9223372036854775807').milliValue(), QuantityError);
  t.throws(() => Quantity.parse('1e100').value(), QuantityError);
  t.throws(() => Quantity.parse('1E2147483647').value(), QuantityError);
  t.equal(Quantity.parse('9007199254740991').value(), Number.MAX_SAFE_INTEGER);
  t.throws(() => Quantity.parse('9007199254740992').value(), QuantityError);
  t.equal(Quantity.parse('9007199254740991m').milliValue(), Number.MAX_SAFE_INTEGER);
  t.throws(() => Quantity.fromValue(0.5), QuantityError);
  t.throws(() => Quantity.fromMilli(Number.MAX_SAFE_INTEGER + 1), QuantityError);
});

// Not an upstream row: exact arithmetic, including across very different exponents; alignment
// past MAX_ALIGN_DIGITS is refused instead of multiplying out a huge power of ten.
t.test('add/sub/equals with far-apart exponents', async (t) => {
  const big = Quantity.parse('1e2147483647');
  t.equal(big.add(Quantity.parse('0')).toString(), '10e2147483646');
  // The receiver's format is kept: DecimalExponent "e-9", DecimalSI "n".
  t.equal(Quantity.parse('1e30').add(Quantity.parse('1n')).toString(), `${10n ** 39n + 1n}e-9`);
  t.equal(Quantity.parse('1000000E').add(Quantity.parse('1n')).toString(), `${10n ** 33n + 1n}n`);
  t.equal(Quantity.parse('1e30').sub(Quantity.parse('1e30')).toString(), '0');
  t.equal(big.cmp(Quantity.parse('9Ei')), 1);
  t.equal(big.neg().cmp(Quantity.parse('-1n')), -1);
  t.ok(Quantity.parse('1.5').equals(Quantity.parse('1500m')));
  t.notOk(Quantity.parse('1.5').equals(Quantity.parse('1501m')));
  t.throws(() => big.add(Quantity.parse('1')), QuantityError);
  t.equal(Quantity.fromScaled(1, 200_000, BinarySI).toString(), '100e199998'); // 200000 = 3*66666 + 2
});

// Not an upstream row: YAML hands `cpu: 2` over as a number; it is parsed as String(n).
const valueRows: Array<[unknown, string | undefined, string]> = [
  [2, '2', ''],
  [0.5, '500m', ''],
  [1000, '1k', ''],
  [1e21, '1e+21', ''], // String(1e21) is "1e+21": canonical-looking, so kept as given
  [1.5e-10, '1e-9', ''], // "1.5e-10" is DecimalExponent, rounded up to one nano
  [-0, '0', ''],
  ['100Mi', '100Mi', ''],
  [Number.NaN, undefined, ERR_FORMAT_WRONG],
  [Number.POSITIVE_INFINITY, undefined, ERR_FORMAT_WRONG],
  [null, undefined, ERR_NOT_STRING_OR_NUMBER],
  [undefined, undefined, ERR_NOT_STRING_OR_NUMBER],
  [{ cpu: 1 }, undefined, ERR_NOT_STRING_OR_NUMBER],
  [2n, undefined, ERR_NOT_STRING_OR_NUMBER],
];

t.test('parseQuantityValue', async (t) => {
  for (const [input, expect, message] of valueRows) {
    const r = parseQuantityValue(input);
    if (expect === undefined) t.same(r, { ok: false, message }, String(input));
    else t.equal(r.ok ? r.quantity.toString() : r.message, expect, `${String(input)} -> ${expect}`);
  }
  t.equal(isQuantity('1Gi'), true);
  t.equal(JSON.stringify({ memory: Quantity.parse('1024Mi') }), '{"memory":"1Gi"}');
});
