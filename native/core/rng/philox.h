// Philox4x32-10 (Salmon et al., "Parallel Random Numbers: As Easy as 1, 2, 3", SC'11):
// a counter-based generator. Every random number in outerloop is a pure function of a key
// and a counter, so results never depend on threads or call order. The TypeScript twin is
// src/backend/js/rng/philox.ts; the two agree bit for bit on raw words.
//
// Stream layout (shared by both backends):
//   block b of stream (key, counter) = philox(key, {lo32(counter+b), hi32(counter+b), 0, 0})
//   word i = block i/4, lane i%4
//   uniform float = (word >> 8) * 2^-24                      in [0, 1)
//   normal pair j = Box-Muller on words 2j, 2j+1 (computed in double, rounded to float)
//   derived key  = philox(key, {index, 0, 0, domain}) lanes 0, 1  (split/fold domains)
#pragma once

#include <cstddef>
#include <cstdint>

// The block function also compiles as CUDA device code (native/cuda), so GPU and CPU share it.
#if defined(__CUDACC__)
#define OL_HOST_DEVICE __host__ __device__
#else
#define OL_HOST_DEVICE
#endif

namespace ol::rng {

struct Key {
  uint32_t k0, k1;
};

struct Block {
  uint32_t v[4];
};

constexpr uint32_t kSplitDomain = 0x53504C54u;  // "SPLT"
constexpr uint32_t kFoldDomain = 0x464F4C44u;   // "FOLD"

OL_HOST_DEVICE inline Block philox(Key key, uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3) {
  constexpr uint32_t M0 = 0xD2511F53u, M1 = 0xCD9E8D57u;
  constexpr uint32_t W0 = 0x9E3779B9u, W1 = 0xBB67AE85u;
  uint32_t k0 = key.k0, k1 = key.k1;
  for (int round = 0; round < 10; ++round) {
    uint64_t p0 = static_cast<uint64_t>(M0) * c0;
    uint64_t p1 = static_cast<uint64_t>(M1) * c2;
    uint32_t hi0 = static_cast<uint32_t>(p0 >> 32), lo0 = static_cast<uint32_t>(p0);
    uint32_t hi1 = static_cast<uint32_t>(p1 >> 32), lo1 = static_cast<uint32_t>(p1);
    c0 = hi1 ^ c1 ^ k0;
    c1 = lo1;
    c2 = hi0 ^ c3 ^ k1;
    c3 = lo0;
    k0 += W0;
    k1 += W1;
  }
  return Block{{c0, c1, c2, c3}};
}

// A new key for (key, index) in a domain; split and fold use different domains.
inline Key derive(Key key, uint32_t index, uint32_t domain) {
  Block b = philox(key, index, 0, 0, domain);
  return Key{b.v[0], b.v[1]};
}
inline Key fold(Key key, uint32_t data) { return derive(key, data, kFoldDomain); }

OL_HOST_DEVICE inline uint32_t wordAt(Key key, uint64_t counter, uint64_t i) {
  uint64_t b = counter + i / 4;
  return philox(key, static_cast<uint32_t>(b), static_cast<uint32_t>(b >> 32), 0, 0).v[i % 4];
}

OL_HOST_DEVICE inline float toUniform(uint32_t w) { return static_cast<float>(w >> 8) * (1.0f / 16777216.0f); }

// Two standard normals from two words (Box-Muller; u1 in (0, 1] so log is finite).
void boxMuller(uint32_t w0, uint32_t w1, float* z0, float* z1);

// Fill n raw words / uniforms / normals of stream (key, counter); threaded for large n.
void fillBits(Key key, uint64_t counter, uint32_t* out, size_t n);
void fillUniform(Key key, uint64_t counter, float* out, size_t n);
void fillNormal(Key key, uint64_t counter, float* out, size_t n);

}  // namespace ol::rng
