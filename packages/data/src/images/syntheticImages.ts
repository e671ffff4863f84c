import { RandomGenerator } from "../random.js";
import type { Dataset, GeneratorOptions } from "../types.js";
import { commonOptions, integerAtLeast } from "../validate.js";

/** Options of {@link syntheticImages}. */
export interface SyntheticImagesOptions extends GeneratorOptions {
  /** Number of classes, ≥ 2 (default 10, like CIFAR-10). */
  readonly classes?: number;
  /** Image side in pixels, ≥ 4 (default 32). */
  readonly size?: number;
  /** Colour channels (default 3). */
  readonly channels?: number;
}

/**
 * A generated image-classification set for running CNN pipelines where CIFAR-10 is absent.
 * Class c is an oriented sinusoidal grating at angle θ_c = πc/classes: with pixel
 * coordinates u = column/size, v = row/size,
 *
 * image[ch, row, col] = g_ch · cos(2π f (u cos θ_c + v sin θ_c) + φ) + N(0, noise²),
 *
 * where per image f ~ U[2, 4] cycles, φ ~ U[0, 2π) and per channel g_ch ~ U[0.5, 1]. Only the
 * orientation carries the class; frequency, phase and colour are nuisances. Classes are
 * balanced (sample i has class i mod classes before a shuffle). x: Float32Array
 * [n, channels, size, size] (NCHW, as conv2d takes it), y: [n].
 * Defaults: n = 1000, classes = 10, size = 32, channels = 3, noise = 0.1, seed = 0.
 *
 * @example
 * const { x, y } = syntheticImages({ classes: 4, size: 16, n: 64, seed: 1 }); // x: [64, 3, 16, 16]
 */
export function syntheticImages(options: SyntheticImagesOptions = {}): Dataset<Float32Array, Int32Array> {
  const fn = "syntheticImages";
  const { n, noise, seed } = commonOptions(fn, options, { n: 1000, noise: 0.1 });
  const classes = integerAtLeast(fn, "classes", options.classes ?? 10, 2);
  const size = integerAtLeast(fn, "size", options.size ?? 32, 4);
  const channels = integerAtLeast(fn, "channels", options.channels ?? 3);
  const random = new RandomGenerator(seed);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = i % classes;
  random.shuffle(labels);
  const plane = size * size;
  const x = new Float32Array(n * channels * plane);
  const gains = new Float64Array(channels);
  for (let i = 0; i < n; i++) {
    const angle = (Math.PI * labels[i]) / classes;
    const frequency = random.uniform(2, 4);
    const phase = random.uniform(0, 2 * Math.PI);
    for (let c = 0; c < channels; c++) gains[c] = random.uniform(0.5, 1);
    const cosine = Math.cos(angle);
    const sineValue = Math.sin(angle);
    for (let row = 0; row < size; row++) {
      for (let col = 0; col < size; col++) {
        const wave = Math.cos(2 * Math.PI * frequency * ((col / size) * cosine + (row / size) * sineValue) + phase);
        for (let c = 0; c < channels; c++) {
          x[(i * channels + c) * plane + row * size + col] = gains[c] * wave + noise * random.normal();
        }
      }
    }
  }
  return {
    x: { data: x, shape: [n, channels, size, size] },
    y: { data: labels, shape: [n] },
    meta: {
      name: "syntheticImages",
      task: classes === 2 ? "binary" : "multiclass",
      classes,
      featureNames: Array.from({ length: channels }, (_, c) => `channel_${c}`),
      targetNames: ["class"],
      classNames: Array.from({ length: classes }, (_, c) => `angle_${Math.round((180 * c) / classes)}deg`),
      seed,
      options: { n, noise, seed, classes, size, channels },
      source: "003/004 (stand-in for CIFAR-10 in the FractalNet pipeline); definition chosen here",
    },
  };
}
