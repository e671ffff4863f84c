import { describe, expect, it } from "vitest";
import { HALF_MAX, tensor } from "@fcn/tensor";
import { decodeSafetensors, encodeSafetensors } from "../src/index.js";

describe("safetensors F16", () => {
  it("writes float16 tensors as F16 (2 bytes each, binary16 bits) and reads them back exactly", () => {
    // Normal, subnormal (2^-24), the largest half, signed zero and infinities.
    const values = [1, -2.5, 0.1, 2 ** -24, HALF_MAX, -0, Infinity, -Infinity];
    const half = tensor(values, { shape: [2, 4], dtype: "float16" });
    const bytes = encodeSafetensors({ half, full: tensor([0.1]) });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
    expect(header.half).toEqual({ dtype: "F16", shape: [2, 4], data_offsets: [4, 20] });
    const data = new DataView(bytes.buffer, 8 + headerLength);
    expect(data.getUint16(4, true)).toBe(0x3c00); // 1.0
    expect(data.getUint16(4 + 2 * 4, true)).toBe(0x7bff); // 65504
    const { tensors } = decodeSafetensors(bytes);
    const back = tensors.get("half")!;
    expect(back.dtype).toBe("float16");
    expect(back.shape).toEqual([2, 4]);
    expect(Array.from(back.dataSync())).toEqual(Array.from(half.dataSync()));
    expect(Object.is(back.dataSync()[5], -0)).toBe(true);
    expect(tensors.get("full")!.dtype).toBe("float32");
  });
});
