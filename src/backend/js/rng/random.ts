// js twins of the random kernels (native/napi/random.cc) over the Philox4x32-10 streams of
// philox.ts, exported under their kernel names.
import type { RandomKernels } from '../../kernels/random.js';
import { philoxBlock as block, derive, fillBits, fillNormal, fillUniform } from './philox.js';

export const randomBits: RandomKernels['randomBits'] = fillBits;
export const randomUniform: RandomKernels['randomUniform'] = fillUniform;
export const randomNormal: RandomKernels['randomNormal'] = fillNormal;

// The js backend has no worker threads: these compute synchronously and return a settled promise.
export const randomUniformAsync: RandomKernels['randomUniformAsync'] = async (key, counter, out) =>
  fillUniform(key, counter, out);
export const randomNormalAsync: RandomKernels['randomNormalAsync'] = async (key, counter, out) =>
  fillNormal(key, counter, out);

export const philoxBlock: RandomKernels['philoxBlock'] = (key, counter, out) =>
  block(
    key[0] as number,
    key[1] as number,
    counter[0] as number,
    counter[1] as number,
    counter[2] as number,
    counter[3] as number,
    out,
    0,
  );

export const randomDerive: RandomKernels['randomDerive'] = (key, index, domain, out) =>
  derive(key[0] as number, key[1] as number, index, domain, out);
