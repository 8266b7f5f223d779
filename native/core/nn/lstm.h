// LSTM over a batch of sequences (PyTorch's nn.LSTM equations, gates i, f, g, o in that order):
//   i = s(x W_ii + b_ii + h W_hi + b_hi), f = s(.. f ..), g = tanh(.. g ..), o = s(.. o ..)
//   c' = f c + i g,  h' = o tanh(c')
// and its BPTT (vector-Jacobian products w.r.t. the parameters, the inputs and the initial state
// h0, c0), optionally truncated, as gru.h. Layouts as gru.h with 4H gate columns: Wi [in x 4H],
// Wh [H x 4H], bi [4H], bh [4H]; xs [T x B x in], hs and cs [T x B x H] time-major; resets
// [T x B] (nullable) zero both h and c of row b before step t, and BPTT stops there.
//
// Tape (lstmTapeSize floats): gates [TB x 4H] (i, f, g, o after their activations), cPrev [TB x H],
// tanh(c) [TB x H], hPrev [TB x H]. Threading and determinism as gru.h.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/nn/gru.h"

namespace ol::nn {

// The sizes of an LSTM call (the same fields as a GRU's).
using LstmSpec = GruSpec;

// (I + H + 2) * 4H.
size_t lstmParamCount(size_t in, size_t hidden);
// 7 * T * B * H.
size_t lstmTapeSize(const LstmSpec& s);
// 4 * T * B * H + 2 * B * H + 4H * (H + I).
size_t lstmWorkSize(const LstmSpec& s);

// hs and cs [T x B x H] from xs, h0 and c0 (nullable: zeros) and resets (nullable: none); `tape`
// (nullable) records what lstmBackward needs.
void lstmForward(const LstmSpec& s, const float* params, const float* xs, const float* h0, const float* c0,
                 const uint8_t* resets, float* hs, float* cs, float* tape);

// BPTT from a tape of lstmForward (same params, xs, resets): dHs [T x B x H] is dL/dh_t for
// every step. Writes gParams (overwritten), and when not null gXs, gH0 and gC0. truncate as gru.h.
void lstmBackward(const LstmSpec& s, size_t truncate, const float* params, const float* xs, const uint8_t* resets,
                  const float* tape, const float* dHs, float* gParams, float* gXs, float* gH0, float* gC0,
                  float* work);

}  // namespace ol::nn
