import type { DType } from "../../dtype.js";
import type { Conv2dAttrs, Pool2dAttrs } from "../../ops/primitives.js";
import type { Shape } from "../../shape.js";
import { elementFormat, wgslType } from "./elements.js";
import { ENTRY_1D, FLAT_INDEX } from "./elementwise.js";
import type { NamedProgram } from "./program.js";

/**
 * Direct convolution kernels, one invocation per output element. The geometry travels in
 * the uniforms, so one pipeline per dtype serves every shape:
 * [total, N, C, H, W, O, OH, OW, KH, KW, sh, sw, ph, pw, dh, dw, groups].
 */
function convMeta(total: number, x: Shape, w: Shape, y: Shape, a: Conv2dAttrs): Uint32Array {
  return Uint32Array.from([
    total, x[0], x[1], x[2], x[3], w[0], y[2], y[3], w[2], w[3],
    a.stride[0], a.stride[1], a.padding[0], a.padding[1], a.dilation[0], a.dilation[1], a.groups,
  ]);
}

const GEOMETRY = `let C = param(2u); let H = param(3u); let W = param(4u); let O = param(5u);
  let OH = param(6u); let OW = param(7u); let KH = param(8u); let KW = param(9u);
  let sh = param(10u); let sw = param(11u); let ph = i32(param(12u)); let pw = i32(param(13u));
  let dh = param(14u); let dw = param(15u); let G = param(16u);
  let Cg = C / G; let Og = O / G;`;

function program(name: string, dtype: DType, names: [string, string], body: string): NamedProgram {
  const T = wgslType(dtype);
  const F = elementFormat(dtype);
  return {
    name,
    key: name,
    bindings: ["read", "read", "rw"],
    uniforms: 17,
    names: [...names, "y"],
    types: [F, F, F],
    body: `${ENTRY_1D} {
  ${FLAT_INDEX}
  if (i >= param(0u)) { return; }
  ${GEOMETRY}
  var acc = ${T}(0);
  ${body}
  store_y(i, acc);
}`,
  };
}

/** y[n, o, oh, ow] = Σ_{c, kh, kw} x[n, g·Cg + c, oh·sh − ph + kh·dh, ow·sw − pw + kw·dw] · w[o, c, kh, kw]. */
export function conv2dProgram(dtype: DType, x: Shape, w: Shape, y: Shape, a: Conv2dAttrs, total: number) {
  const body = `let ow = i % OW; var r = i / OW; let oh = r % OH; r = r / OH; let o = r % O; let n = r / O;
  let grp = o / Og;
  for (var c = 0u; c < Cg; c = c + 1u) {
    let xc = (n * C + grp * Cg + c) * H;
    let wc = (o * Cg + c) * KH;
    for (var kh = 0u; kh < KH; kh = kh + 1u) {
      let ih = i32(oh * sh + kh * dh) - ph;
      if (ih < 0 || ih >= i32(H)) { continue; }
      let xr = (xc + u32(ih)) * W;
      let wr = (wc + kh) * KW;
      for (var kw = 0u; kw < KW; kw = kw + 1u) {
        let iw = i32(ow * sw + kw * dw) - pw;
        if (iw < 0 || iw >= i32(W)) { continue; }
        acc = acc + load_x(xr + u32(iw)) * load_w(wr + kw);
      }
    }
  }`;
  return { program: program("conv2d", dtype, ["x", "w"], body), meta: convMeta(total, x, w, y, a) };
}

/** dx[n, c, h, w] = Σ over the taps that read it: g[n, o, oh, ow] · w[o, c mod Cg, kh, kw]. */
export function conv2dBackwardInputProgram(dtype: DType, g: Shape, w: Shape, x: Shape, a: Conv2dAttrs, total: number) {
  const body = `let iw = i % W; var r = i / W; let ih = r % H; r = r / H; let c = r % C; let n = r / C;
  let grp = c / Cg; let cl = c % Cg;
  for (var ol = 0u; ol < Og; ol = ol + 1u) {
    let o = grp * Og + ol;
    for (var kh = 0u; kh < KH; kh = kh + 1u) {
      let th = i32(ih) + ph - i32(kh * dh);
      if (th < 0 || th % i32(sh) != 0) { continue; }
      let oh = u32(th) / sh;
      if (oh >= OH) { continue; }
      for (var kw = 0u; kw < KW; kw = kw + 1u) {
        let tw = i32(iw) + pw - i32(kw * dw);
        if (tw < 0 || tw % i32(sw) != 0) { continue; }
        let ow = u32(tw) / sw;
        if (ow >= OW) { continue; }
        acc = acc + load_gy(((n * O + o) * OH + oh) * OW + ow) * load_w(((o * Cg + cl) * KH + kh) * KW + kw);
      }
    }
  }`;
  return { program: program("conv2dBackwardInput", dtype, ["gy", "w"], body), meta: convMeta(total, x, w, g, a) };
}

/** dw[o, c, kh, kw] = Σ_{n, oh, ow} g[n, o, oh, ow] · x[n, g·Cg + c, oh·sh − ph + kh·dh, ow·sw − pw + kw·dw]. */
export function conv2dBackwardWeightProgram(dtype: DType, x: Shape, g: Shape, w: Shape, a: Conv2dAttrs, total: number) {
  const body = `let N = param(1u);
  let kw = i % KW; var r = i / KW; let kh = r % KH; r = r / KH; let cl = r % Cg; let o = r / Cg;
  let c = (o / Og) * Cg + cl;
  for (var n = 0u; n < N; n = n + 1u) {
    for (var oh = 0u; oh < OH; oh = oh + 1u) {
      let ih = i32(oh * sh + kh * dh) - ph;
      if (ih < 0 || ih >= i32(H)) { continue; }
      let xr = ((n * C + c) * H + u32(ih)) * W;
      let gr = ((n * O + o) * OH + oh) * OW;
      for (var ow = 0u; ow < OW; ow = ow + 1u) {
        let iw = i32(ow * sw + kw * dw) - pw;
        if (iw < 0 || iw >= i32(W)) { continue; }
        acc = acc + load_gy(gr + ow) * load_x(xr + u32(iw));
      }
    }
  }`;
  return { program: program("conv2dBackwardWeight", dtype, ["x", "gy"], body), meta: convMeta(total, x, w, g, a) };
}

/**
 * Flat index of each window's first maximum (padding skipped).
 * Uniforms: [total, H, W, OH, OW, KH, KW, sh, sw, ph, pw].
 */
export function maxPool2dIndicesProgram(dtype: DType, x: Shape, y: Shape, a: Pool2dAttrs, total: number) {
  const program: NamedProgram = {
    name: "maxPool2dIndices",
    key: "maxPool2dIndices",
    bindings: ["read", "rw"],
    uniforms: 11,
    names: ["x", "y"],
    types: [elementFormat(dtype), "i32"],
    body: `${ENTRY_1D} {
  ${FLAT_INDEX}
  if (i >= param(0u)) { return; }
  let H = i32(param(1u)); let W = i32(param(2u)); let OH = param(3u); let OW = param(4u);
  let KH = i32(param(5u)); let KW = i32(param(6u));
  let ow = i % OW; let oh = (i / OW) % OH; let plane = i / (OW * OH);
  let h0 = i32(oh * param(7u)) - i32(param(9u));
  let w0 = i32(ow * param(8u)) - i32(param(10u));
  let hs = max(h0, 0); let he = min(h0 + KH, H);
  let ws = max(w0, 0); let we = min(w0 + KW, W);
  let base = i32(plane) * H * W;
  var best = base + hs * W + ws;
  var value = load_x(u32(best));
  for (var ih = hs; ih < he; ih = ih + 1) {
    for (var iw = ws; iw < we; iw = iw + 1) {
      let j = base + ih * W + iw;
      let xj = load_x(u32(j));
      if (xj > value) { value = xj; best = j; }
    }
  }
  store_y(i, best);
}`,
  };
  const meta = Uint32Array.from([total, x[2], x[3], y[2], y[3], a.kernel[0], a.kernel[1], a.stride[0], a.stride[1], a.padding[0], a.padding[1]]);
  return { program, meta };
}
