// The generators in the browser: onnxruntime-web sessions, and every view's pictures as uint8.
//
// Latents come from latent.js (the port of fashion_gan/latent.py); this module validates
// arguments the way fashion_gan/demo.py does, runs the ONNX models and returns 28x28 pictures
// as 784 uint8 values each, row by row. The page (app.js) and window.fashionGan both call it.
import * as ort from "./ort/ort.wasm.min.mjs";
import * as latent from "./latent.js";
import { ArgumentError, describe } from "./latent.js";

ort.env.wasm.numThreads = 1; // threads need cross-origin isolation, which a static host does not give
ort.env.wasm.wasmPaths = new URL("./ort/", import.meta.url).href; // served beside the page, never from a CDN

const PIXELS = 28 * 28;

export async function loadExplorer(base = new URL("./", import.meta.url)) {
  const config = await (await fetch(new URL("site.json", base))).json();
  const open = (entry) => ort.InferenceSession.create(new URL(entry.file, base).href, { executionProviders: ["wasm"] });
  const [cgan, gan] = await Promise.all([open(config.cgan), config.gan ? open(config.gan) : null]);
  return new Explorer(config, cgan, gan);
}

/** One run at a time per session (onnxruntime-web refuses overlapping runs of a session). */
class Runner {
  constructor(session, conditional) {
    this.session = session;
    this.conditional = conditional;
    this.queue = Promise.resolve();
  }

  /** latents: Float32Array rows; labelVectors: rows for a conditional model -> Uint8Array(784) pictures. */
  run(latents, labelVectors = null) {
    const result = this.queue.then(() => this.runNow(latents, labelVectors));
    this.queue = result.catch(() => {});
    return result;
  }

  async runNow(latents, labelVectors) {
    const batch = latents.length;
    const feeds = { z: new ort.Tensor("float32", stack(latents), [batch, latents[0].length]) };
    if (this.conditional) feeds.label_vector = new ort.Tensor("float32", stack(labelVectors), [batch, labelVectors[0].length]);
    const { image } = await this.session.run(feeds);
    const pixels = latent.toUint8(image.data);
    image.dispose?.();
    return Array.from({ length: batch }, (_, i) => pixels.subarray(i * PIXELS, (i + 1) * PIXELS));
  }
}

function stack(rows) {
  const out = new Float32Array(rows.length * rows[0].length);
  rows.forEach((row, i) => out.set(row, i * row.length));
  return out;
}

function integer(value, name, low, high) {
  if (typeof value !== "number" || !Number.isInteger(value) || value < low || value > high) {
    throw new ArgumentError(`${name} must be an integer from ${low.toLocaleString("en")} to ${high.toLocaleString("en")}, got ${describe(value)}`);
  }
  return value;
}

function number(value, name, low, high) {
  if (typeof value !== "number" || !Number.isFinite(value) || value < low || value > high) {
    throw new ArgumentError(`${name} must be a number from ${low.toLocaleString("en")} to ${high.toLocaleString("en")}, got ${describe(value)}`);
  }
  return value;
}

export class Explorer {
  constructor(config, cganSession, ganSession) {
    this.config = config;
    this.classes = config.classes;
    this.limits = config.limits;
    this.cgan = new Runner(cganSession, true);
    this.ganRunner = ganSession ? new Runner(ganSession, false) : null;
    this.embedding = config.cgan.embedding.map((row) => Float32Array.from(row));
    this.directions = config.cgan.directions.map((row) => Float32Array.from(row));
    this.zDim = config.cgan.zDim;
  }

  /** A class by name (any case) or index -> its index; ArgumentError naming `name` otherwise. */
  classIndex(value, name = "className") {
    if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value < this.classes.length) return value;
    if (typeof value === "string") {
      const index = this.classes.findIndex((c) => c.toLowerCase() === value.trim().toLowerCase());
      if (index >= 0) return index;
    }
    throw new ArgumentError(`${name}: unknown class ${describe(value)}; use one of: ${this.classes.join(", ")}`);
  }

  truncation(value) {
    return number(value, "truncation", 0, this.limits.maxTruncation) || null; // 0 means off
  }

  labelRows(label, count) {
    return Array(count).fill(this.embedding[label]);
  }

  /** Seeds S .. S+count-1 of one class (the Gradio app's generate). */
  async generate(className, seed, truncation = 0, count = 1) {
    const label = this.classIndex(className);
    count = integer(count, "count", 1, this.limits.maxCount);
    seed = integer(seed, "seed", 0, this.config.seedMax - count + 1);
    const t = this.truncation(truncation);
    const z = Array.from({ length: count }, (_, i) => latent.latentFromSeed(seed + i, this.zDim, t));
    return this.cgan.run(z, this.labelRows(label, count));
  }

  /** The unconditional GAN. */
  async gan(seed, truncation = 0) {
    if (!this.ganRunner) throw new ArgumentError("this site was built without the unconditional GAN");
    seed = integer(seed, "seed", 0, this.config.seedMax);
    const t = this.truncation(truncation);
    return (await this.ganRunner.run([latent.latentFromSeed(seed, this.config.gan.zDim, t)]))[0];
  }

  /** Frames from seed A to seed B at one class (the Gradio app's interpolate). */
  async interpolate(className, seedA, seedB, steps, method = "slerp") {
    const label = this.classIndex(className);
    seedA = integer(seedA, "seedA", 0, this.config.seedMax);
    seedB = integer(seedB, "seedB", 0, this.config.seedMax);
    steps = integer(steps, "steps", this.limits.minSteps, this.limits.maxSteps);
    const blend = latent.INTERPOLATIONS[this.method(method)];
    const a = latent.latentFromSeed(seedA, this.zDim), b = latent.latentFromSeed(seedB, this.zDim);
    const z = latent.interpolationWeights(steps).map((t) => blend(a, b, t));
    return this.cgan.run(z, this.labelRows(label, steps));
  }

  /** One seed, its label vector moving from class A's to class B's (the Gradio app's morph). */
  async morph(seed, classA, classB, steps) {
    seed = integer(seed, "seed", 0, this.config.seedMax);
    const a = this.classIndex(classA, "classA"), b = this.classIndex(classB, "classB");
    steps = integer(steps, "steps", this.limits.minSteps, this.limits.maxSteps);
    const z = latent.latentFromSeed(seed, this.zDim);
    const vectors = latent.interpolationWeights(steps).map((t) => latent.lerp(this.embedding[a], this.embedding[b], t));
    return this.cgan.run(Array(steps).fill(z), vectors);
  }

  /** A looping walk through keyframe seeds (text such as "3, 17, 42-45"); returns {frames, keyframes}. */
  async walk(className, seeds, steps = 10, method = "slerp") {
    const label = this.classIndex(className);
    const keyframes = latent.parseSeeds(seeds, this.limits.maxKeyframes);
    steps = integer(steps, "steps", 1, this.limits.maxSteps);
    if (keyframes.length * steps > this.limits.maxWalkFrames) {
      throw new ArgumentError(`steps: ${keyframes.length} keyframes x ${steps} steps is over ${this.limits.maxWalkFrames} frames; use fewer steps or seeds`);
    }
    const z = latent.walkLatents(keyframes.map((s) => latent.latentFromSeed(s, this.zDim)), steps, this.method(method));
    const frames = await this.cgan.run(z, this.labelRows(label, z.length));
    return { frames, keyframes: frames.filter((_, i) => i % steps === 0), seeds: keyframes };
  }

  /** The 10 x 8 integer points of the seed plane from (x0, y0), row by row, in one batch. */
  async seedMap(className, x0, y0) {
    const label = this.classIndex(className);
    const { mapColumns, mapRows } = this.limits;
    x0 = integer(x0, "x0", 0, this.config.seedMax);
    y0 = integer(y0, "y0", 0, Math.floor(this.config.seedMax / this.config.row));
    const seeds = [];
    for (let j = 0; j < mapRows; j++) for (let i = 0; i < mapColumns; i++) seeds.push(latent.seedAt(x0 + i, y0 + j));
    if (seeds[seeds.length - 1] > this.config.seedMax) {
      throw new ArgumentError(`x0: this view reaches seed ${seeds[seeds.length - 1]}, beyond the last one; choose a smaller x or y`);
    }
    return this.cgan.run(seeds.map((s) => latent.latentFromSeed(s, this.zDim)), this.labelRows(label, seeds.length));
  }

  /** The picture at a continuous point (x, y) of the seed plane. */
  async mapPoint(className, x, y) {
    const label = this.classIndex(className);
    number(x, "x", 0, this.config.seedMax);
    number(y, "y", 0, this.config.seedMax / this.config.row);
    return (await this.cgan.run([latent.planeLatent(x, y, this.zDim)], this.labelRows(label, 1)))[0];
  }

  /** A seed moved `amount` standard deviations along principal direction `direction` (0 = strongest). */
  async edit(className, seed, direction, amount) {
    return (await this.edits(className, seed, direction, [number(amount, "amount", -this.limits.maxAmount, this.limits.maxAmount)]))[0];
  }

  async edits(className, seed, direction, amounts) {
    const label = this.classIndex(className);
    seed = integer(seed, "seed", 0, this.config.seedMax);
    direction = integer(direction, "direction", 0, this.directions.length - 1);
    const z = latent.latentFromSeed(seed, this.zDim);
    const edited = amounts.map((a) => latent.editLatent(z, this.directions[direction], a));
    return this.cgan.run(edited, this.labelRows(label, edited.length));
  }

  /** An interpolation's name, checked. */
  method(value) {
    if (typeof value !== "string" || !Object.hasOwn(latent.INTERPOLATIONS, value)) {
      throw new ArgumentError(`method must be one of ${Object.keys(latent.INTERPOLATIONS).join(", ")}, got ${describe(value)}`);
    }
    return value;
  }
}
