import { type Tensor, autocastDType } from "@fcn/tensor";

/**
 * The bias to add to a product computed under autocast. PyTorch's autocast runs `linear`
 * (product and bias) in float16, so the layer's output is float16; adding the float32 bias
 * as-is would promote the output back to float32. Under autocast, a float32 bias added to a
 * float16 product is therefore cast down (its gradient still reaches the float32 parameter
 * through the cast); outside autocast it is used unchanged.
 */
export function autocastBias(product: Tensor, bias: Tensor): Tensor {
  const dtype = autocastDType();
  return dtype !== null && product.dtype === dtype && bias.dtype === "float32" ? bias.cast(dtype) : bias;
}
