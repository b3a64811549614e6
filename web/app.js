// The page: six views over the generators in models.js, each redrawn live while its controls move,
// and window.fashionGan, the scripting API (see the README).
import { loadExplorer } from "./models.js";
import { SEED_MAX } from "./latent.js";

const FRAME_MS = 90; // the Gradio app's GIF frame time
const SCRUB_WINDOW = 200; // the drag slider spans 200 seeds around the current one: a step is a seed
const GRADIO_URL = "http://127.0.0.1:7860/"; // where `./dev.sh demo` serves the Gradio app

const statusLine = document.getElementById("status");
const errorLine = document.getElementById("error");

// --- window.fashionGan: ready first, so a script can await it while the models load ----------

let explorerReady;
const ready = new Promise((resolve, reject) => { explorerReady = { resolve, reject }; });
ready.catch(() => {}); // reported on the page below; a script awaiting `ready` still sees the rejection

/** Runs an API call once the models are loaded; a bad argument rejects and is shown on the page. */
async function api(call) {
  const explorer = await ready;
  try {
    return await call(explorer);
  } catch (error) {
    showError(error);
    throw error;
  }
}

window.fashionGan = {
  ready: ready.then(() => true),
  generate: (className, seed, truncation = 0) => api(async (e) => (await e.generate(className, seed, truncation))[0]),
  gan: (seed, truncation = 0) => api((e) => e.gan(seed, truncation)),
  mapPoint: (className, x, y) => api((e) => e.mapPoint(className, x, y)),
  edit: (className, seed, direction, amount) => api((e) => e.edit(className, seed, direction, amount)),
  seedMap: (className, x0, y0) => api((e) => e.seedMap(className, x0, y0)),
  timings: {}, // firstPicture: ms from navigation to the first picture on screen
};

// --- messages -------------------------------------------------------------------------------

function showError(error) {
  errorLine.textContent = String(error?.message ?? error).split("\n")[0];
  errorLine.hidden = false;
}

function clearError() {
  errorLine.hidden = true;
}

// --- drawing: uint8 pictures onto canvases at their native size (CSS scales them, pixelated) ---

/** Pictures (784 uint8 each) -> one ImageData grid, `columns` a row, `padding` pixels between. */
function gridImage(pictures, columns, padding = 2, background = 255) {
  const rows = Math.ceil(pictures.length / columns);
  const width = columns * (28 + padding) + padding, height = rows * (28 + padding) + padding;
  const image = new ImageData(width, height);
  image.data.fill(background);
  pictures.forEach((picture, n) => {
    const x0 = padding + (n % columns) * (28 + padding), y0 = padding + Math.floor(n / columns) * (28 + padding);
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) {
        const value = picture[y * 28 + x], at = ((y0 + y) * width + x0 + x) * 4;
        image.data[at] = image.data[at + 1] = image.data[at + 2] = value;
      }
    }
  });
  return image;
}

function paint(canvas, image) {
  canvas.width = image.width;
  canvas.height = image.height;
  canvas.getContext("2d").putImageData(image, 0, 0);
  canvas.dataset.draws = String(Number(canvas.dataset.draws ?? 0) + 1);
  if (window.fashionGan.timings.firstPicture === undefined) {
    window.fashionGan.timings.firstPicture = performance.now();
  }
}

function draw(canvas, pictures, columns = Math.min(pictures.length, 8), padding = pictures.length > 1 ? 2 : 0) {
  paint(canvas, gridImage(pictures, columns, padding));
}

/** Loops frames on a canvas, forward then back (bounce) or straight round (a walk already loops). */
class Player {
  constructor(canvas) {
    this.canvas = canvas;
    this.frames = [];
    this.index = 0;
    this.last = 0;
    requestAnimationFrame((now) => this.tick(now));
  }

  play(pictures, bounce) {
    const images = pictures.map((p) => gridImage([p], 1, 0));
    this.frames = bounce ? [...images, ...images.slice(1, -1).reverse()] : images;
    this.index = 0;
    this.last = 0;
  }

  tick(now) {
    if (this.frames.length && now - this.last >= FRAME_MS && !this.canvas.closest("[hidden]")) {
      paint(this.canvas, this.frames[this.index]);
      this.canvas.dataset.frame = String(this.index);
      this.index = (this.index + 1) % this.frames.length;
      this.last = now;
    }
    requestAnimationFrame((t) => this.tick(t));
  }
}

/** A redraw that runs while controls move: one at a time, and the latest request always drawn. */
function live(task) {
  let running = false, again = false;
  return async function trigger() {
    if (running) { again = true; return; }
    running = true;
    do {
      again = false;
      try {
        await task();
        clearError();
      } catch (error) {
        showError(error);
      }
    } while (again);
    running = false;
  };
}

/** Offers the native-size pictures as a PNG file. */
function download(pictures, columns, name) {
  const canvas = document.createElement("canvas");
  draw(canvas, pictures, columns);
  canvas.toBlob((blob) => {
    const link = Object.assign(document.createElement("a"), { href: URL.createObjectURL(blob), download: `${name}.png` });
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  }, "image/png");
}

// --- the reproduce lines: the same picture from Python, and from the Gradio app ---------------

const py = (value) => (typeof value === "string" ? JSON.stringify(value) : String(value));

function reproduce(pre, command, apiName, ...args) {
  const cli = command ? `# the same picture in Python, from a clone of the repository\npython -m fashion_gan.${command}\n\n` : "";
  pre.textContent = `${cli}# or from the Gradio app (./dev.sh demo, or its Space)\nfrom gradio_client import Client\n`
    + `Client("${GRADIO_URL}").predict(${args.map(py).join(", ")}, api_name="/${apiName}")`;
}

// --- controls -------------------------------------------------------------------------------

const field = (view, name) => view.querySelector(`[name="${name}"]`);

/** An integer field's value, or the field's own error naming it ("seed A must be ..."). */
function integerField(input, label) {
  const text = input.value.trim();
  const value = Number(text);
  if (text === "" || !Number.isInteger(value)) throw new Error(`${label} must be a whole number, got "${input.value}"`);
  return value;
}

/** Keeps an <output> beside its slider up to date. */
function echo(input, format = (v) => v) {
  const output = input.closest("label")?.querySelector("output");
  const update = () => { if (output) output.textContent = format(input.value); };
  input.addEventListener("input", update);
  update();
}

const truncationText = (v) => (Number(v) ? v : "off");

/** A seed box and a drag slider over the SCRUB_WINDOW seeds around it, kept in step. */
function seedScrubber(view, onChange) {
  const box = field(view, "seed"), scrub = field(view, "scrub");
  box.max = String(SEED_MAX);
  const recentre = (seed) => {
    const base = Math.min(Math.floor(seed / SCRUB_WINDOW) * SCRUB_WINDOW, SEED_MAX - SCRUB_WINDOW + 1);
    scrub.min = String(base);
    scrub.max = String(base + SCRUB_WINDOW - 1);
    scrub.value = String(seed);
  };
  const set = (seed) => {
    box.value = String(seed);
    recentre(seed);
    onChange();
  };
  box.addEventListener("input", () => {
    const seed = Number(box.value);
    if (Number.isInteger(seed) && seed >= 0 && seed <= SEED_MAX) recentre(seed);
    onChange();
  });
  scrub.addEventListener("input", () => { box.value = scrub.value; onChange(); });
  field(view, "previous")?.addEventListener("click", () => set(Math.max(0, Number(box.value) - 1 || 0)));
  field(view, "next")?.addEventListener("click", () => set(Math.min(SEED_MAX, (Number(box.value) || 0) + 1)));
  field(view, "random")?.addEventListener("click", () => set(Math.floor(Math.random() * (SEED_MAX + 1))));
  recentre(Number(box.value));
  return () => integerField(box, "seed");
}

function fillClasses(view, classes) {
  for (const select of view.querySelectorAll("select[data-default]")) {
    for (const name of classes) select.add(new Option(name, name, false, name === select.dataset.default));
  }
}

function onInput(view, names, redraw) {
  for (const name of names) field(view, name).addEventListener("input", redraw);
}

// --- the views --------------------------------------------------------------------------------

function generateView(explorer, view) {
  const picture = view.querySelector(".picture");
  let shown = null;
  const redraw = live(async () => {
    const className = field(view, "class").value, seed = seedOf(), count = Number(field(view, "count").value);
    const truncation = Number(field(view, "truncation").value);
    const pictures = await explorer.generate(className, seed, truncation, count);
    draw(picture, pictures);
    shown = { pictures, name: `${className.replace("/", "-")}_seed${seed}` };
    const trunc = truncation ? ` --truncation ${truncation}` : "";
    reproduce(view.querySelector(".reproduce"),
      `sample --weights ${explorer.config.cgan.weights} --class "${className}" --seed ${seed} --count ${count}${trunc} --out samples.png`,
      "generate", className, seed, truncation, count);
  });
  const seedOf = seedScrubber(view, redraw);
  echo(field(view, "truncation"), truncationText);
  echo(field(view, "count"));
  onInput(view, ["class", "truncation", "count"], redraw);
  view.querySelector(".download").addEventListener("click", () => shown && download(shown.pictures, Math.min(shown.pictures.length, 8), shown.name));
  return redraw;
}

function interpolateView(explorer, view) {
  const [animation, morphAnimation] = [...view.querySelectorAll(".animation")].map((c) => new Player(c));
  let frames = null, morphFrames = null;
  const interpolate = live(async () => {
    const className = field(view, "class").value, method = field(view, "method").value;
    const a = integerField(field(view, "seedA"), "seed A"), b = integerField(field(view, "seedB"), "seed B");
    const steps = Number(field(view, "steps").value);
    frames = await explorer.interpolate(className, a, b, steps, method);
    animation.play(frames, true);
    draw(view.querySelector(".strip:not(.morph-strip)"), frames, Math.min(steps, 10));
    reproduce(view.querySelector(".reproduce"), null, "interpolate", className, a, b, steps, method);
  });
  const morph = live(async () => {
    const seed = integerField(field(view, "morphSeed"), "seed");
    const classA = field(view, "classA").value, classB = field(view, "classB").value;
    const steps = Number(field(view, "morphSteps").value);
    morphFrames = await explorer.morph(seed, classA, classB, steps);
    morphAnimation.play(morphFrames, true);
    draw(view.querySelector(".morph-strip"), morphFrames, Math.min(steps, 10));
    reproduce(view.querySelector(".reproduce-morph"), null, "morph", seed, classA, classB, steps);
  });
  echo(field(view, "steps"));
  echo(field(view, "morphSteps"));
  onInput(view, ["class", "seedA", "seedB", "steps", "method"], interpolate);
  onInput(view, ["morphSeed", "classA", "classB", "morphSteps"], morph);
  view.querySelector(".download").addEventListener("click", () => frames && download(frames, Math.min(frames.length, 10), "interpolation"));
  view.querySelector(".download-morph").addEventListener("click", () => morphFrames && download(morphFrames, Math.min(morphFrames.length, 10), "morph"));
  return () => { interpolate(); morph(); };
}

function walkView(explorer, view) {
  const player = new Player(view.querySelector(".animation"));
  let keyframes = null;
  const redraw = live(async () => {
    const className = field(view, "class").value, seeds = field(view, "seeds").value;
    const steps = Number(field(view, "steps").value), method = field(view, "method").value;
    const walk = await explorer.walk(className, seeds, steps, method);
    player.play(walk.frames, false);
    keyframes = walk.keyframes;
    draw(view.querySelector(".strip"), keyframes, Math.min(keyframes.length, 10));
    reproduce(view.querySelector(".reproduce"),
      `explore walk --weights ${explorer.config.cgan.weights} --class "${className}" --seeds "${seeds}" --steps ${steps} --method ${method} --out walk.gif`,
      "walk", className, seeds, steps, method);
  });
  echo(field(view, "steps"));
  onInput(view, ["class", "seeds", "steps", "method"], redraw);
  view.querySelector(".download").addEventListener("click", () => keyframes && download(keyframes, Math.min(keyframes.length, 10), "walk_keyframes"));
  return redraw;
}

function mapView(explorer, view) {
  const board = view.querySelector(".board"), point = view.querySelector(".point");
  const { mapColumns, mapRows } = explorer.limits;
  let spot = { x: 0, y: 0 }, shown = null;
  const corner = () => ({ x0: integerField(field(view, "x0"), "left x"), y0: integerField(field(view, "y0"), "top y") });
  const redrawBoard = live(async () => {
    const { x0, y0 } = corner();
    draw(board, await explorer.seedMap(field(view, "class").value, x0, y0), mapColumns, 0);
  });
  const redrawPoint = live(async () => {
    const className = field(view, "class").value, { x, y } = spot;
    const picture = await explorer.mapPoint(className, x, y);
    draw(point, [picture]);
    shown = { picture, name: `map_x${x}_y${y}` };
    const seed = Math.round(x) + explorer.config.row * Math.round(y);
    view.querySelector(".position").textContent = `Position: x = ${x}, y = ${y} (the nearest seed is ${seed})`;
    reproduce(view.querySelector(".reproduce"),
      `explore map --weights ${explorer.config.cgan.weights} --class "${className}" --x ${x} --y ${y} --out point.png`,
      "map_point", className, x, y);
  });
  // A point under the pointer: tile centres are the integer points, as in the Gradio app's map.
  const pointAt = (event) => {
    const rect = board.getBoundingClientRect(), { x0, y0 } = corner();
    const px = ((event.clientX - rect.left) / rect.width) * mapColumns * 28;
    const pyy = ((event.clientY - rect.top) / rect.height) * mapRows * 28;
    spot = { x: Math.max(0, Math.round((x0 + (px - 14) / 28) * 100) / 100), y: Math.max(0, Math.round((y0 + (pyy - 14) / 28) * 100) / 100) };
    redrawPoint();
  };
  board.addEventListener("pointermove", pointAt);
  board.addEventListener("pointerdown", pointAt);
  const move = (dx, dy) => {
    const { x0, y0 } = corner();
    field(view, "x0").value = String(Math.max(0, x0 + dx));
    field(view, "y0").value = String(Math.max(0, y0 + dy));
    redrawBoard();
  };
  field(view, "left").addEventListener("click", () => move(-mapColumns, 0));
  field(view, "right").addEventListener("click", () => move(mapColumns, 0));
  field(view, "up").addEventListener("click", () => move(0, -mapRows));
  field(view, "down").addEventListener("click", () => move(0, mapRows));
  onInput(view, ["x0", "y0"], redrawBoard);
  field(view, "class").addEventListener("input", () => { redrawBoard(); redrawPoint(); });
  view.querySelector(".download").addEventListener("click", () => shown && download([shown.picture], 1, shown.name));
  return () => { redrawBoard(); redrawPoint(); };
}

function directionsView(explorer, view) {
  const picture = view.querySelector(".picture");
  let shown = null;
  const inputs = () => [field(view, "class").value, integerField(field(view, "seed"), "seed"), Number(field(view, "direction").value)];
  const redrawEdit = live(async () => {
    const [className, seed, direction] = inputs(), amount = Number(field(view, "amount").value);
    const edited = await explorer.edit(className, seed, direction, amount);
    draw(picture, [edited]);
    shown = { picture: edited, name: `edit_seed${seed}_d${direction}_${amount}` };
    reproduce(view.querySelector(".reproduce"),
      `explore edit --weights ${explorer.config.cgan.weights} --class "${className}" --seed ${seed} --direction ${direction} --amount ${amount} --out edit.png`,
      "edit", className, seed, direction, amount);
  });
  const redrawStrip = live(async () => {
    draw(view.querySelector(".strip"), await explorer.edits(...inputs(), [-3, -2, -1, 0, 1, 2, 3]), 7);
  });
  echo(field(view, "direction"));
  echo(field(view, "amount"));
  field(view, "amount").addEventListener("input", redrawEdit);
  for (const name of ["class", "seed", "direction"]) field(view, name).addEventListener("input", () => { redrawEdit(); redrawStrip(); });
  view.querySelector(".download").addEventListener("click", () => shown && download([shown.picture], 1, shown.name));
  return () => { redrawEdit(); redrawStrip(); };
}

function ganView(explorer, view) {
  const picture = view.querySelector(".picture");
  let shown = null;
  const redraw = live(async () => {
    const seed = seedOf(), truncation = Number(field(view, "truncation").value);
    const image = await explorer.gan(seed, truncation);
    draw(picture, [image]);
    shown = { picture: image, name: `gan_seed${seed}` };
    const trunc = truncation ? ` --truncation ${truncation}` : "";
    reproduce(view.querySelector(".reproduce"),
      `sample --weights ${explorer.config.gan.weights} --seed ${seed} --count 1${trunc} --out gan.png`, "gan", seed, truncation);
  });
  const seedOf = seedScrubber(view, redraw);
  echo(field(view, "truncation"), truncationText);
  field(view, "truncation").addEventListener("input", redraw);
  view.querySelector(".download").addEventListener("click", () => shown && download([shown.picture], 1, shown.name));
  return redraw;
}

const VIEWS = { generate: generateView, interpolate: interpolateView, walk: walkView, map: mapView,
  directions: directionsView, gan: ganView };

// --- tabs: the URL's #view opens that view; each view draws when first shown -----------------

function showTabs(explorer) {
  const first = {};
  const buttons = [...document.querySelectorAll("#tabs button")];
  if (!explorer.ganRunner) document.querySelector('[data-view="gan"]').hidden = true;
  const open = () => {
    const name = location.hash.slice(1) in VIEWS ? location.hash.slice(1) : "generate";
    for (const button of buttons) button.setAttribute("aria-selected", String(button.dataset.view === name));
    for (const view of document.querySelectorAll(".view")) view.hidden = view.id !== name;
    if (!first[name]) {
      first[name] = true;
      drawers[name]();
    }
  };
  for (const button of buttons) button.addEventListener("click", () => { location.hash = button.dataset.view; });
  const drawers = {};
  for (const [name, setUp] of Object.entries(VIEWS)) {
    const view = document.getElementById(name);
    fillClasses(view, explorer.classes);
    if (name !== "gan" || explorer.ganRunner) drawers[name] = setUp(explorer, view);
  }
  window.addEventListener("hashchange", open);
  open();
}

async function main() {
  try {
    const explorer = await loadExplorer();
    explorerReady.resolve(explorer);
    showTabs(explorer);
    const { cgan, gan } = explorer.config;
    statusLine.textContent = "Ready: the generators run on this device (onnxruntime-web, WebAssembly, one thread).";
    document.getElementById("footer").textContent = `cGAN: ${cgan.weights}, ${cgan.parameters.toLocaleString("en")} parameters`
      + (gan ? ` · GAN: ${gan.weights}, ${gan.parameters.toLocaleString("en")} parameters` : "");
  } catch (error) {
    explorerReady.reject(error);
    statusLine.textContent = "The generators could not be loaded.";
    showError(error);
  }
}

main();
