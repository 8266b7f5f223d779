// The key of one fitness evaluation, from (run seed, generation, member) only: a member's
// evaluation draws the same numbers whichever process, thread or job batch runs it.
import { fold, type Key, key as makeKey } from '../random/index.js';
import { checkInteger } from '../util/check.js';

// A stream tag folded in first so evaluation keys never coincide with the keys `evo.optimize`
// asks with (split(key(seed), 2)).
const EVAL_STREAM = 0x65766131; // 'eva1'

/** Philox key of member `member`'s evaluation in generation `generation` of the run with `seed`. */
export function memberKey(seed: number, generation: number, member: number): Key {
  checkInteger(seed, 'memberKey: seed');
  checkInteger(generation, 'memberKey: generation', 0, 2 ** 32 - 1);
  checkInteger(member, 'memberKey: member', 0, 2 ** 32 - 1);
  return fold(fold(fold(makeKey(seed), EVAL_STREAM), generation), member);
}
