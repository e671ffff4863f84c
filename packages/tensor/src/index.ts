export { FcnError, ShapeError, DTypeError, DeviceError, ArgumentError, formatShape } from "./errors.js";
