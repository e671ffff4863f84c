import { Generator, autocast, crossEntropy, tensor, tidy } from "@fcn/tensor";
import { FractalNet, GradScaler, SGD } from "@fcn/nn";

// 32 noisy 8×8 RGB images; class 1 is a little brighter than class 0.
const gen = new Generator(0);
const n = 32;
const pixels = Float32Array.from({ length: n * 3 * 8 * 8 }, (_, i) => gen.normal() + (Math.floor(i / 192) % 2 ? 0.5 : -0.5));
const x = tensor(pixels, { shape: [n, 3, 8, 8] });
const y = tensor(Int32Array.from({ length: n }, (_, i) => i % 2), { shape: [n], dtype: "int32" });

const model = new FractalNet({ columns: 2, blocks: 2, channels: 4, input: [3, 8, 8], classes: 2, dropout: 0, seed: 1 });
const optimizer = new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
const scaler = new GradScaler(); // scale 2^16; ×0.5 and a skipped step on inf/NaN; ×2 after 2,000 clean steps

export const losses: number[] = [];
for (let step = 0; step < 12; step++) {
  tidy(() => {
    // matmul and conv2d in float16, softmax and sums in float32, parameters stay float32.
    const loss = autocast(() => crossEntropy(model.forward(x), y));
    scaler.scale(loss).backward(); // scaled, so small float16 gradients do not flush to zero
    scaler.step(optimizer); // unscales the float32 gradients; skips the step if one is inf/NaN
    scaler.update();
    optimizer.zeroGrad();
    losses.push(loss.item());
  });
}
export const scale = scaler.getScale();
export const skipped = scaler.skippedSteps;
console.log(`loss ${losses[0].toFixed(3)} → ${losses[losses.length - 1].toFixed(3)}, scale ${scale}, skipped ${skipped}`);
// loss 0.751 → 0.268, scale 65536, skipped 0
