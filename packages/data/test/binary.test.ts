import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { circles } from "../src/generators/circles.js";
import { gaussianQuantiles } from "../src/generators/gaussianQuantiles.js";
import { moons } from "../src/generators/moons.js";
import { sCurveBinary } from "../src/generators/sCurve.js";
import { swissRoll } from "../src/generators/swissRoll.js";
import { labelCounts, mean } from "./helpers.js";

const sizes = fc.integer({ min: 2, max: 300 });

describe("circles", () => {
  it("noise 0: class 0 on the unit circle, class 1 on the circle of radius factor; ⌊n/2⌋ / ⌈n/2⌉ split", () => {
    fc.assert(
      fc.property(sizes, fc.double({ min: 0.05, max: 0.95, noNaN: true }), fc.integer(), (n, factor, seed) => {
        const { x, y } = circles({ n, factor, noise: 0, seed });
        expect(labelCounts(y.data, 2)).toEqual([Math.floor(n / 2), n - Math.floor(n / 2)]);
        for (let i = 0; i < n; i++) {
          const radius = Math.hypot(x.data[2 * i], x.data[2 * i + 1]);
          expect(radius).toBeCloseTo(y.data[i] === 0 ? 1 : factor, 12);
        }
      }),
      { numRuns: 40, seed: 20 },
    );
  });

  it("angles are evenly spaced (2πi/⌊n/2⌋), as make_circles places them", () => {
    const { x, y } = circles({ n: 8, noise: 0, seed: 1, factor: 0.5 });
    const angles = [...y.data.keys()]
      .filter((i) => y.data[i] === 0)
      .map((i) => (Math.atan2(x.data[2 * i + 1], x.data[2 * i]) + 2 * Math.PI) % (2 * Math.PI))
      .sort((a, b) => a - b);
    angles.forEach((angle, k) => expect(angle).toBeCloseTo((2 * Math.PI * k) / 4, 10));
  });

  it("noise adds N(0, noise²) per coordinate: mean radius error ≈ 0, spread ≈ noise", () => {
    const clean = circles({ n: 4000, noise: 0, seed: 9, shuffle: false });
    const noisy = circles({ n: 4000, noise: 0.1, seed: 9, shuffle: false });
    const differences = noisy.x.data.map((v, i) => v - clean.x.data[i]);
    expect(Math.abs(mean(differences))).toBeLessThan(0.01);
    expect(Math.sqrt(mean(differences.map((d) => d * d)))).toBeCloseTo(0.1, 2);
  });
});

describe("moons", () => {
  it("noise 0: class 0 on the upper unit half circle, class 1 on the lower one centred at (1, ½)", () => {
    fc.assert(
      fc.property(sizes, fc.integer(), (n, seed) => {
        const { x, y } = moons({ n, noise: 0, seed });
        expect(labelCounts(y.data, 2)).toEqual([Math.floor(n / 2), n - Math.floor(n / 2)]);
        for (let i = 0; i < n; i++) {
          const [a, b] = [x.data[2 * i], x.data[2 * i + 1]];
          if (y.data[i] === 0) {
            expect(Math.hypot(a, b)).toBeCloseTo(1, 12);
            expect(b).toBeGreaterThanOrEqual(-1e-12);
          } else {
            expect(Math.hypot(a - 1, b - 0.5)).toBeCloseTo(1, 12);
            expect(b).toBeLessThanOrEqual(0.5 + 1e-12);
          }
        }
      }),
      { numRuns: 40, seed: 21 },
    );
  });

  it("includes both end points of each arc (linspace with endpoint)", () => {
    const { x, y } = moons({ n: 10, noise: 0, seed: 3, shuffle: false });
    expect([x.data[0], x.data[1]]).toEqual([1, 0]);
    expect(x.data[8]).toBeCloseTo(-1, 12);
    expect(y.data[5]).toBe(1);
    expect([x.data[10], x.data[11]]).toEqual([0, 0.5]);
  });
});

describe("swissRoll", () => {
  it("arms: noise 0 points lie on r = t with t ∈ [1.5π, 4.5π], class 1 turned by π", () => {
    const { x, y } = swissRoll({ n: 400, noise: 0, seed: 5 });
    expect(labelCounts(y.data, 2)).toEqual([200, 200]);
    for (let i = 0; i < 400; i++) {
      const [a, b] = [x.data[2 * i], x.data[2 * i + 1]];
      const t = Math.hypot(a, b);
      expect(t).toBeGreaterThanOrEqual(1.5 * Math.PI - 1e-9);
      expect(t).toBeLessThanOrEqual(4.5 * Math.PI + 1e-9);
      const sign = y.data[i] === 0 ? 1 : -1;
      expect(sign * t * Math.cos(t)).toBeCloseTo(a, 9);
      expect(sign * t * Math.sin(t)).toBeCloseTo(b, 9);
    }
  });

  it("halves: class 0 is the inner half (t < 3π), class 1 the outer", () => {
    const { x, y } = swissRoll({ n: 300, noise: 0, seed: 6, labelling: "halves" });
    for (let i = 0; i < 300; i++) {
      const t = Math.hypot(x.data[2 * i], x.data[2 * i + 1]);
      expect(t < 3 * Math.PI).toBe(y.data[i] === 0);
    }
  });
});

describe("sCurveBinary", () => {
  it("noise 0: x = (sin t, depth, sign(t)(cos t − 1)), label = t > 0, classes near balanced", () => {
    const { x, y, manifold } = sCurveBinary({ n: 2000, noise: 0, seed: 7 });
    expect(x.shape).toEqual([2000, 3]);
    for (let i = 0; i < 2000; i++) {
      const t = manifold[i];
      expect(Math.abs(t)).toBeLessThanOrEqual(1.5 * Math.PI);
      expect(x.data[3 * i]).toBe(Math.sin(t));
      expect(x.data[3 * i + 1] >= 0 && x.data[3 * i + 1] < 2).toBe(true);
      expect(x.data[3 * i + 2]).toBe(Math.sign(t) * (Math.cos(t) - 1));
      expect(y.data[i]).toBe(t > 0 ? 1 : 0);
    }
    const ones = labelCounts(y.data, 2)[1];
    expect(Math.abs(ones - 1000)).toBeLessThan(4 * Math.sqrt(500)); // Binomial(2000, ½), 4σ
  });
});

describe("gaussianQuantiles", () => {
  it("classes have equal counts (remainder in the last) and form nested shells", () => {
    fc.assert(
      fc.property(fc.integer({ min: 6, max: 400 }), fc.integer({ min: 2, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.integer(), (n, classes, features, seed) => {
        const { x, y } = gaussianQuantiles({ n, classes, features, seed });
        const step = Math.floor(n / classes);
        const counts = labelCounts(y.data, classes);
        expect(counts.slice(0, -1)).toEqual(new Array(classes - 1).fill(step));
        expect(counts[classes - 1]).toBe(n - step * (classes - 1));
        const low = new Array(classes).fill(Infinity);
        const high = new Array(classes).fill(-Infinity);
        for (let i = 0; i < n; i++) {
          let r2 = 0;
          for (let j = 0; j < features; j++) r2 += x.data[i * features + j] ** 2;
          low[y.data[i]] = Math.min(low[y.data[i]], r2);
          high[y.data[i]] = Math.max(high[y.data[i]], r2);
        }
        for (let k = 0; k + 1 < classes; k++) expect(high[k]).toBeLessThanOrEqual(low[k + 1]);
      }),
      { numRuns: 40, seed: 22 },
    );
  });

  it("the binary boundary sits at the χ²₂ median 2 ln 2", () => {
    const { x, y } = gaussianQuantiles({ n: 20000, seed: 8 });
    let boundary = Infinity;
    for (let i = 0; i < 20000; i++) if (y.data[i] === 1) boundary = Math.min(boundary, x.data[2 * i] ** 2 + x.data[2 * i + 1] ** 2);
    expect(boundary).toBeCloseTo(2 * Math.log(2), 1);
  });
});
