// Latents from the browser's port, for tests/test_web_latent.py to hold against torch.
// Reads one JSON request on stdin, writes the latents as raw float32 (row after row) to stdout.
//   {"op": "seeds", "seeds": [...], "zDim": 100, "truncation": null | t}
//   {"op": "plane", "points": [[x, y], ...], "zDim": 100}
//   {"op": "walk", "seeds": [...], "steps": 12, "method": "slerp" | "lerp", "zDim": 100}
//   {"op": "interpolate", "pairs": [[a, b], ...], "steps": 8, "method": "slerp" | "lerp", "zDim": 100}
//   {"op": "edit", "seeds": [...], "direction": [...], "amount": 1.5, "zDim": 100}
import { readFileSync } from "node:fs";
import * as latent from "../latent.js";

const request = JSON.parse(readFileSync(0, "utf8"));
const { zDim } = request;
const rows = [];
if (request.op === "seeds") {
  for (const seed of request.seeds) rows.push(latent.latentFromSeed(seed, zDim, request.truncation ?? null));
} else if (request.op === "plane") {
  for (const [x, y] of request.points) rows.push(latent.planeLatent(x, y, zDim));
} else if (request.op === "walk") {
  const keyframes = request.seeds.map((s) => latent.latentFromSeed(s, zDim));
  rows.push(...latent.walkLatents(keyframes, request.steps, request.method));
} else if (request.op === "interpolate") {
  const weights = latent.interpolationWeights(request.steps);
  for (const [a, b] of request.pairs) {
    const za = latent.latentFromSeed(a, zDim), zb = latent.latentFromSeed(b, zDim);
    for (const t of weights) rows.push(latent.INTERPOLATIONS[request.method](za, zb, t));
  }
} else if (request.op === "edit") {
  for (const seed of request.seeds) rows.push(latent.editLatent(latent.latentFromSeed(seed, zDim), request.direction, request.amount));
} else {
  throw new Error(`unknown op ${request.op}`);
}
const out = new Float32Array(rows.length * zDim);
rows.forEach((row, i) => out.set(row, i * zDim));
process.stdout.write(Buffer.from(out.buffer));
