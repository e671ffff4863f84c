import { autocast, crossEntropy, matmul, tensor } from "@fcn/tensor";

const x = tensor([[0.3, -1.2, 2.0]]);
const w = tensor([[0.5, 0.1], [-0.4, 0.9], [0.2, 0.3]], { requiresGrad: true }); // float32 master weights
const logits = autocast(() => matmul(x, w)); // float16: computed in float32, rounded to half
const loss = autocast(() => crossEntropy(logits, tensor([1], { dtype: "int32" }))); // float32 inside
loss.backward(); // backward always runs with autocast off
console.log(logits.dtype, loss.dtype, w.grad!.dtype); // float16 float32 float32
export const dtypes = [logits.dtype, loss.dtype, w.grad!.dtype];
