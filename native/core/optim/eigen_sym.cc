// Symmetric eigendecomposition (tred2 + tql2, after JAMA's EigenvalueDecomposition, public domain)
// and Shampoo's block products. The transformations are kept as rows (Z = Vᵀ) during the QL sweeps
// so every rotation touches two contiguous rows. No FMA contraction (-ffp-contract=off) and the
// same operation order as the js twin, so both give the same bits up to pow().
#include "core/optim/eigen_sym.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/parallel.h"
#include "core/simd.h"

namespace ol::optim {
namespace {

// The vectorizable inner loops (no reductions, so the same sums in the same order as the twin).
OL_HOT_LOOP void axpy(double* __restrict y, double a, const double* __restrict x, size_t n) {
  for (size_t k = 0; k < n; ++k) y[k] += a * x[k];
}
OL_HOT_LOOP void axpyF(double* __restrict y, double a, const float* __restrict x, size_t n) {
  for (size_t k = 0; k < n; ++k) y[k] += a * static_cast<double>(x[k]);
}
// (zi, zj) ← (c·zi − s·zj, s·zi + c·zj): one Givens rotation of two rows.
OL_HOT_LOOP void rotate(double* __restrict zi, double* __restrict zj, double c, double s, size_t n) {
  for (size_t k = 0; k < n; ++k) {
    const double hk = zj[k];
    zj[k] = s * zi[k] + c * hk;
    zi[k] = c * zi[k] - s * hk;
  }
}

// sqrt(a² + b²) without overflow; the twin computes it the same way (not Math.hypot).
double hyp(double a, double b) {
  a = std::fabs(a);
  b = std::fabs(b);
  if (a < b) std::swap(a, b);
  if (a == 0) return 0;
  const double r = b / a;
  return a * std::sqrt(1 + r * r);
}

// Householder reduction to tridiagonal form: V (n×n, in: A) becomes the orthogonal transform
// (transposed), d the diagonal, e the subdiagonal (e[0] = 0).
void tred2(double* V, size_t n, double* d, double* e) {
  // V is stored transposed (A is symmetric, so the input is the same): every O(n³) loop below
  // then walks a contiguous row, and the result comes out as rows = vectors, ready for tql2.
  auto at = [&](size_t i, size_t j) -> double& { return V[j * n + i]; };
  for (size_t j = 0; j < n; ++j) d[j] = at(n - 1, j);
  for (size_t i = n - 1; i > 0; --i) {
    double scale = 0, h = 0;
    for (size_t k = 0; k < i; ++k) scale += std::fabs(d[k]);
    if (scale == 0) {
      e[i] = d[i - 1];
      for (size_t j = 0; j < i; ++j) {
        d[j] = at(i - 1, j);
        at(i, j) = 0;
        at(j, i) = 0;
      }
    } else {
      for (size_t k = 0; k < i; ++k) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      double f = d[i - 1];
      double g = std::sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h = h - f * g;
      d[i - 1] = f - g;
      for (size_t j = 0; j < i; ++j) e[j] = 0;
      for (size_t j = 0; j < i; ++j) {
        f = d[j];
        at(j, i) = f;
        g = e[j] + at(j, j) * f;
        for (size_t k = j + 1; k + 1 <= i; ++k) {
          g += at(k, j) * d[k];
          e[k] += at(k, j) * f;
        }
        e[j] = g;
      }
      f = 0;
      for (size_t j = 0; j < i; ++j) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const double hh = f / (h + h);
      for (size_t j = 0; j < i; ++j) e[j] -= hh * d[j];
      for (size_t j = 0; j < i; ++j) {
        f = d[j];
        g = e[j];
        for (size_t k = j; k + 1 <= i; ++k) at(k, j) -= (f * e[k] + g * d[k]);
        d[j] = at(i - 1, j);
        at(i, j) = 0;
      }
    }
    d[i] = h;
  }
  for (size_t i = 0; i + 1 < n; ++i) {
    at(n - 1, i) = at(i, i);
    at(i, i) = 1;
    const double h = d[i + 1];
    if (h != 0) {
      for (size_t k = 0; k <= i; ++k) d[k] = at(k, i + 1) / h;
      for (size_t j = 0; j <= i; ++j) {
        double g = 0;
        for (size_t k = 0; k <= i; ++k) g += at(k, i + 1) * at(k, j);
        for (size_t k = 0; k <= i; ++k) at(k, j) -= g * d[k];
      }
    }
    for (size_t k = 0; k <= i; ++k) at(k, i + 1) = 0;
  }
  for (size_t j = 0; j < n; ++j) {
    d[j] = at(n - 1, j);
    at(n - 1, j) = 0;
  }
  at(n - 1, n - 1) = 1;
  e[0] = 0;
}

// Implicit QL on the tridiagonal (d, e); Z (rows = vectors) accumulates the rotations.
void tql2(double* Z, size_t n, double* d, double* e) {
  for (size_t i = 1; i < n; ++i) e[i - 1] = e[i];
  e[n - 1] = 0;
  double f = 0, tst1 = 0;
  const double eps = std::ldexp(1.0, -52);
  for (size_t l = 0; l < n; ++l) {
    tst1 = std::max(tst1, std::fabs(d[l]) + std::fabs(e[l]));
    size_t m = l;
    while (m < n - 1 && !(std::fabs(e[m]) <= eps * tst1)) ++m;
    if (m > l) {
      for (int iter = 0; iter < 60; ++iter) {
        double g = d[l];
        double p = (d[l + 1] - g) / (2 * e[l]);
        double r = hyp(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const double dl1 = d[l + 1];
        double h = g - d[l];
        for (size_t i = l + 2; i < n; ++i) d[i] -= h;
        f += h;
        p = d[m];
        double c = 1, c2 = 1, c3 = 1, s = 0, s2 = 0;
        const double el1 = e[l + 1];
        for (size_t i = m; i-- > l;) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hyp(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          rotate(Z + i * n, Z + (i + 1) * n, c, s, n);
        }
        p = -s * s2 * c3 * el1 * e[l] / dl1;
        e[l] = s * p;
        d[l] = c * p;
        if (!(std::fabs(e[l]) > eps * tst1)) break;
      }
    }
    d[l] = d[l] + f;
    e[l] = 0;
  }
}

}  // namespace

void symEigen(const double* a, size_t n, double* values, double* vectors) {
  if (n == 0) return;
  std::vector<double> e(n);
  std::copy(a, a + n * n, vectors);
  tred2(vectors, n, values, e.data());  // leaves the transform's columns as rows of `vectors`
  tql2(vectors, n, values, e.data());
  // Selection sort, ascending (n swaps of rows at most).
  for (size_t i = 0; i + 1 < n; ++i) {
    size_t k = i;
    for (size_t j = i + 1; j < n; ++j)
      if (values[j] < values[k]) k = j;
    if (k != i) {
      std::swap(values[i], values[k]);
      std::swap_ranges(vectors + i * n, vectors + (i + 1) * n, vectors + k * n);
    }
  }
}

void inverseRoot(const double* a, size_t n, double root, double eps, double* out) {
  if (n == 0) return;
  std::vector<double> values(n), Z(n * n);
  symEigen(a, n, values.data(), Z.data());
  for (size_t i = 0; i < n; ++i) {
    const double w = std::max(values[i], 0.0) + eps;
    values[i] = w > 0 ? std::pow(w, -1.0 / root) : 0;
  }
  // out = Σ_i f_i z_i z_iᵀ, row a of out accumulated over i in order (deterministic per row).
  parallelFor(n, 16, [&](size_t r0, size_t r1) {
    for (size_t r = r0; r < r1; ++r) {
      double* o = out + r * n;
      std::fill(o, o + n, 0.0);
      for (size_t i = 0; i < n; ++i) {
        const double* z = Z.data() + i * n;
        const double c = values[i] * z[r];
        if (c == 0) continue;
        axpy(o, c, z, n);
      }
    }
  });
}

void shampooStats(const float* g, size_t rows, size_t cols, double* l, double* r, double decay, double weight) {
  // L row i = Σ_k G[i][k]·(column k of G) — as axpys over the transpose, k ascending as in the twin.
  std::vector<float> gt(rows * cols);
  for (size_t i = 0; i < rows; ++i)
    for (size_t k = 0; k < cols; ++k) gt[k * rows + i] = g[i * cols + k];
  parallelFor(rows, 8, [&](size_t i0, size_t i1) {
    std::vector<double> acc(rows);
    for (size_t i = i0; i < i1; ++i) {
      std::fill(acc.begin(), acc.end(), 0.0);
      for (size_t k = 0; k < cols; ++k) axpyF(acc.data(), g[i * cols + k], gt.data() + k * rows, rows);
      for (size_t j = 0; j < rows; ++j) l[i * rows + j] = decay * l[i * rows + j] + weight * acc[j];
    }
  });
  parallelFor(cols, 8, [&](size_t j0, size_t j1) {
    std::vector<double> acc(cols);
    for (size_t j = j0; j < j1; ++j) {
      std::fill(acc.begin(), acc.end(), 0.0);
      for (size_t k = 0; k < rows; ++k) axpyF(acc.data(), g[k * cols + j], g + k * cols, cols);
      for (size_t t = 0; t < cols; ++t) r[j * cols + t] = decay * r[j * cols + t] + weight * acc[t];
    }
  });
}

void shampooPrecondition(const float* g, size_t rows, size_t cols, const double* lRoot, const double* rRoot,
                         float* out) {
  std::vector<double> t(rows * cols, 0.0);
  // t = G · Rroot, row by row.
  parallelFor(rows, 8, [&](size_t i0, size_t i1) {
    for (size_t i = i0; i < i1; ++i) {
      double* ti = t.data() + i * cols;
      for (size_t k = 0; k < cols; ++k) axpy(ti, g[i * cols + k], rRoot + k * cols, cols);
    }
  });
  // out = Lroot · t.
  parallelFor(rows, 8, [&](size_t i0, size_t i1) {
    std::vector<double> acc(cols);
    for (size_t i = i0; i < i1; ++i) {
      std::fill(acc.begin(), acc.end(), 0.0);
      for (size_t k = 0; k < rows; ++k) axpy(acc.data(), lRoot[i * rows + k], t.data() + k * cols, cols);
      for (size_t j = 0; j < cols; ++j) out[i * cols + j] = static_cast<float>(acc[j]);
    }
  });
}

}  // namespace ol::optim
