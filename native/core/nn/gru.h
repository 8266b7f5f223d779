// GRU over a batch of sequences (PyTorch's nn.GRU equations, gates r, z, n in that order):
//   r = s(x W_ir + b_ir + h W_hr + b_hr),  z = s(x W_iz + b_iz + h W_hz + b_hz)
//   n = tanh(x W_in + b_in + r * (h W_hn + b_hn)),  h' = (1 - z) n + z h
// with s the logistic function, and its BPTT (vector-Jacobian products w.r.t. the parameters, the
// inputs and the initial state), optionally truncated to segments of `truncate` steps.
//
// Parameter layout (shared with src/nn/gru.ts and the js twin src/backend/js/nn/gru.ts): Wi
// row-major [in x 3H], Wh [H x 3H], bi [3H], bh [3H]. Sequences are time-major: xs [steps x batch
// x in], hs [steps x batch x H]; row (t, b) is t * batch + b. resets [steps x batch] (nullable):
// nonzero zeroes row b's state before step t (an episode or trial boundary), and BPTT stops there.
//
// Tape (gruTapeSize floats): gates [TB x 3H] (r, z, n), hn [TB x H] (h W_hn + b_hn), hPrev [TB x H]
// (the state each step started from, after resets). Work (gruWorkSize floats): the backward pass's
// scratch, caller-provided so a training loop allocates nothing.
//
// Threading: the time loops run one pool task per slice of the batch (rows are independent); the
// parameter gradients are reductions over all steps and rows done afterwards as matrix products
// split over parameter rows, each element summed in a fixed order, so results are bit-identical
// for any thread count.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ol::nn {

struct GruSpec {
  size_t in;      // input width I (>= 1)
  size_t hidden;  // hidden width H (>= 1)
  size_t steps;   // T (>= 1)
  size_t batch;   // B (>= 1)
};

// (I + H + 2) * 3H.
size_t gruParamCount(size_t in, size_t hidden);
// 5 * T * B * H.
size_t gruTapeSize(const GruSpec& s);
// 4 * T * B * H + B * H + 3H * (H + I).
size_t gruWorkSize(const GruSpec& s);

// hs [T x B x H] from xs, h0 (nullable: zeros) and resets (nullable: none). `tape` (nullable)
// records what gruBackward needs. Allocation-free once warm (grow-only thread_local scratch).
void gruForward(const GruSpec& s, const float* params, const float* xs, const float* h0, const uint8_t* resets,
                float* hs, float* tape);

// BPTT from a tape of gruForward with the same params, xs and resets: dHs [T x B x H] is dL/dh_t
// for every step (the loss's direct dependence). Writes gParams (overwritten), and when not null
// gXs [T x B x I] and gH0 [B x H]. truncate = 0: full BPTT; k > 0: no gradient crosses from step
// t to t - 1 when t is a multiple of k (segments [0, k), [k, 2k), ...; gH0 gets segment 0's).
void gruBackward(const GruSpec& s, size_t truncate, const float* params, const float* xs, const uint8_t* resets,
                 const float* tape, const float* dHs, float* gParams, float* gXs, float* gH0, float* work);

}  // namespace ol::nn
