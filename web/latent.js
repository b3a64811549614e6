// Latent math in the browser: a port of fashion_gan/latent.py, number for number.
//
// A seed must mean the same picture here as in Python, so `latentFromSeed` reproduces
// torch's CPU generator (MT19937 seeded as torch.manual_seed does, and torch.randn's two
// ways of making normal numbers, described in shared/notes/torch-randn.md). Blends, walks,
// the seed plane and direction edits follow latent.py line by line, in float32 like torch.

export const SEED_MAX = 2 ** 31 - 1;
export const MAX_KEYFRAMES = 64;
export const ROW = 100; // the seed plane: integer point (x, y) is seed x + ROW * y

const f32 = Math.fround;
const TWO_PI = 2 * Math.PI;

/** MT19937, seeded like the reference init_genrand (and torch.manual_seed). */
class MersenneTwister {
  constructor(seed) {
    this.state = new Uint32Array(624);
    this.state[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = this.state[i - 1] ^ (this.state[i - 1] >>> 30);
      this.state[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.index = 624;
  }

  /** The next 32-bit output. */
  next() {
    if (this.index >= 624) this.twist();
    let y = this.state[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  twist() {
    const s = this.state;
    for (let i = 0; i < 624; i++) {
      const y = (s[i] & 0x80000000) | (s[(i + 1) % 624] & 0x7fffffff);
      let v = s[(i + 397) % 624] ^ (y >>> 1);
      if (y & 1) v ^= 0x9908b0df;
      s[i] = v >>> 0;
    }
    this.index = 0;
  }
}

/** torch.Generator().manual_seed(seed) on the CPU, as far as torch.randn goes. */
export class TorchGenerator {
  constructor(seed) {
    this.engine = new MersenneTwister(seed);
    this.cachedNormal = null; // torch keeps the second of each Box-Muller pair of the double path
  }

  /** torch's uniform float: 24 random bits. */
  uniformFloat() {
    return (this.engine.next() & 0xffffff) * 2 ** -24;
  }

  /** torch's uniform double: the low 53 bits of random64() (first output high). */
  uniformDouble() {
    const high = this.engine.next() & 0x1fffff;
    const low = this.engine.next();
    return (high * 2 ** 32 + low) * 2 ** -53;
  }

  /** torch.randn(n) as float32 values. */
  randn(n) {
    return n >= 16 ? this.randnBlocks(n) : this.randnSerial(n);
  }

  // n >= 16: uniforms first, then Box-Muller over blocks of 16 in float32; a ragged tail
  // is handled by redrawing the last 16 entries.
  randnBlocks(n) {
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) x[i] = this.uniformFloat();
    for (let i = 0; i + 16 <= n; i += 16) boxMuller16(x, i);
    if (n % 16 !== 0) {
      for (let i = n - 16; i < n; i++) x[i] = this.uniformFloat();
      boxMuller16(x, n - 16);
    }
    return x;
  }

  // n < 16: one double at a time, each pair's sine kept for the next call.
  randnSerial(n) {
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      if (this.cachedNormal !== null) {
        x[i] = this.cachedNormal;
        this.cachedNormal = null;
        continue;
      }
      const u1 = this.uniformDouble();
      const u2 = this.uniformDouble();
      const r = Math.sqrt(-2 * Math.log1p(-u2));
      const theta = TWO_PI * u1;
      this.cachedNormal = r * Math.sin(theta);
      x[i] = r * Math.cos(theta);
    }
    return x;
  }
}

function boxMuller16(x, start) {
  for (let j = start; j < start + 8; j++) {
    const u1 = f32(1 - x[j]);
    const u2 = x[j + 8];
    const radius = f32(Math.sqrt(f32(-2 * f32(Math.log(u1)))));
    const theta = f32(TWO_PI * u2);
    x[j] = radius * f32(Math.cos(theta));
    x[j + 8] = radius * f32(Math.sin(theta));
  }
}

/** An error for a bad argument: one line, naming it. */
export class ArgumentError extends Error {
  constructor(message) {
    super(message);
    this.name = "ArgumentError";
  }
}

export function checkSeed(seed, name = "seed") {
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > SEED_MAX) {
    throw new ArgumentError(`${name} must be an integer from 0 to ${SEED_MAX.toLocaleString("en")}, got ${describe(seed)}`);
  }
  return seed;
}

export function describe(value) {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `a list (${JSON.stringify(value).slice(0, 40)})`;
  return String(value);
}

/**
 * A standard-normal latent (zDim) determined by `seed` alone; with `truncation` t,
 * entries with |z| > t are redrawn from the same stream until they fall inside.
 */
export function latentFromSeed(seed, zDim, truncation = null) {
  checkSeed(seed);
  const rng = new TorchGenerator(seed);
  const z = rng.randn(zDim);
  if (truncation !== null) {
    if (!(truncation > 0)) throw new ArgumentError(`truncation ${truncation} must be a positive number (or off)`);
    const t = f32(truncation); // torch compares a float32 tensor with the scalar cast to float32
    for (let round = 0; round < 1000; round++) {
      const outside = [];
      for (let i = 0; i < zDim; i++) if (Math.abs(z[i]) > t) outside.push(i);
      if (outside.length === 0) break;
      const fresh = rng.randn(outside.length);
      outside.forEach((index, k) => { z[index] = fresh[k]; });
    }
    for (let i = 0; i < zDim; i++) z[i] = Math.min(Math.max(z[i], -t), t);
  }
  return z;
}

export function lerp(a, b, t) {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] + f32(f32(b[i] - a[i]) * t);
  return out;
}

function norm(v) {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  return Math.sqrt(sum);
}

/** Spherical interpolation: stays at the typical norm of Gaussian latents, where lerp sags. */
export function slerp(a, b, t) {
  const na = norm(a), nb = norm(b);
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] / na) * (b[i] / nb);
  const omega = Math.acos(Math.min(1, Math.max(-1, dot)));
  if (Math.abs(omega) < 1e-6) return lerp(a, b, t);
  const wa = Math.sin((1 - t) * omega) / Math.sin(omega);
  const wb = Math.sin(t * omega) / Math.sin(omega);
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = wa * a[i] + wb * b[i];
  return out;
}

export const INTERPOLATIONS = { slerp, lerp };

/** `steps` values of t from 0 to 1 inclusive, as torch.linspace makes them. */
export function interpolationWeights(steps) {
  if (steps === 1) return [0];
  const step = f32(1 / (steps - 1));
  const half = Math.floor(steps / 2);
  return Array.from({ length: steps }, (_, i) => (i < half ? f32(i * step) : f32(1 - f32((steps - 1 - i) * step))));
}

/** "3, 17, 42-45" -> [3, 17, 42, 43, 44, 45], as latent.parse_seeds reads it. */
export function parseSeeds(text, limit = MAX_KEYFRAMES) {
  if (typeof text !== "string" || !text.trim()) throw new ArgumentError("seeds: give a list such as 3, 17, 42-45");
  const seeds = [];
  for (const part of text.split(",")) {
    const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!match) throw new ArgumentError(`seeds: '${part.trim()}' is not a seed or a range like 42-45`);
    const first = Number(match[1]);
    const last = Number(match[2] ?? match[1]);
    if (last < first) throw new ArgumentError(`seeds: the range ${first}-${last} runs backwards; write ${last}-${first}`);
    if (last > SEED_MAX) throw new ArgumentError(`seeds: ${last} is above the largest seed, ${SEED_MAX}`);
    if (seeds.length + last - first + 1 > limit) throw new ArgumentError(`seeds: at most ${limit} seeds, got more`);
    for (let s = first; s <= last; s++) seeds.push(s);
  }
  return seeds;
}

/**
 * Keyframe latents -> frames through each in turn and back to the first: each leg
 * leaves out its end (the next leg's start), so the loop has no repeated frame.
 */
export function walkLatents(keyframes, steps, method = "slerp") {
  const frames = [];
  keyframes.forEach((a, k) => {
    const b = keyframes[(k + 1) % keyframes.length];
    for (let i = 0; i < steps; i++) frames.push(INTERPOLATIONS[method](a, b, f32(i / steps)));
  });
  return frames;
}

export function seedAt(x, y) {
  return x + ROW * y;
}

export function checkPosition(x, y) {
  for (const [name, value] of [["x", x], ["y", y]]) {
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new ArgumentError(`map ${name} must be a number >= 0, got ${describe(value)}`);
    }
  }
  if (seedAt(Math.ceil(x), Math.ceil(y)) > SEED_MAX) {
    throw new ArgumentError(`map position (${x}, ${y}) is beyond the last seed (${SEED_MAX}); keep x + ${ROW}*y below it`);
  }
}

/**
 * The latent at a continuous point of the seed plane: the four neighbouring seeds'
 * latents with bilinear weights w, divided by sqrt(sum w^2) so the blend keeps unit spread.
 */
export function planeLatent(x, y, zDim) {
  checkPosition(x, y);
  const x0 = Math.floor(x), y0 = Math.floor(y);
  let z = new Float32Array(zDim);
  let sumSquares = 0;
  for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
    const weight = (1 - Math.abs(x - (x0 + dx))) * (1 - Math.abs(y - (y0 + dy)));
    if (weight > 0) {
      const corner = latentFromSeed(seedAt(x0 + dx, y0 + dy), zDim);
      const w = f32(weight);
      z = z.map((value, i) => value + f32(w * corner[i]));
      sumSquares += weight * weight;
    }
  }
  const scale = f32(Math.sqrt(sumSquares));
  return z.map((value) => value / scale);
}

/** z moved `amount` standard deviations along a unit direction. */
export function editLatent(z, direction, amount) {
  if (!amount) return z;
  const a = f32(amount);
  return z.map((value, i) => value + f32(a * direction[i]));
}

/** Generator output in [-1, 1] -> uint8, as fashion_gan.sampling.to_uint8 does (round half to even). */
export function toUint8(values) {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = f32(f32(values[i] + 1) * 127.5);
    let r = Math.round(v);
    if (r - v === 0.5 && r % 2 !== 0) r -= 1; // a tie rounds to even, like torch.round
    out[i] = Math.min(255, Math.max(0, r));
  }
  return out;
}
