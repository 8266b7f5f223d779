// Fused hypergradient evaluations (see hypergrad.h). One sweep template drives both problems
// through the same four products the TS methods use (∇_w f, ∇²_w f·v, (∂²f/∂λ∂w)·v and its
// transpose on a unit vector), each problem precomputing what a point w shares between them
// (ridge: nothing; hyper-cleaning: the softmax probabilities) in prepare().
#include "core/bilevel/hypergrad.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace ol::bilevel {
namespace {

struct Ridge {
  const float *xt, *yt, *xv, *yv;
  size_t n, m, d;
  std::vector<double> el, res, xvv;
  const float* w = nullptr;

  Ridge(const float* xt_, const float* yt_, size_t n_, const float* xv_, const float* yv_, size_t m_, size_t d_,
        const float* lambda)
      : xt(xt_), yt(yt_), xv(xv_), yv(yv_), n(n_), m(m_), d(d_), el(d_), res(std::max(n_, m_)), xvv(n_) {
    for (size_t j = 0; j < d; ++j) el[j] = std::exp(static_cast<double>(lambda[j]));
  }
  size_t wSize() const { return d; }
  size_t lambdaSize() const { return d; }
  void prepare(const float* w_) { w = w_; }
  // (2/rows)·Xᵀr into out (rows in order, as the js twin sums them).
  void xtr(const float* x, const double* r, size_t rows, double* out) const {
    std::fill(out, out + d, 0.0);
    for (size_t i = 0; i < rows; ++i) {
      const double s = 2.0 * r[i] / static_cast<double>(rows);
      for (size_t j = 0; j < d; ++j) out[j] += static_cast<double>(x[i * d + j]) * s;
    }
  }
  void residuals(const float* x, const float* y, size_t rows, const float* w_) {
    for (size_t i = 0; i < rows; ++i) {
      double s = -static_cast<double>(y[i]);
      for (size_t j = 0; j < d; ++j) s += static_cast<double>(x[i * d + j]) * w_[j];
      res[i] = s;
    }
  }
  void grad(const float* w_, float* g, double* tmp) {
    residuals(xt, yt, n, w_);
    xtr(xt, res.data(), n, tmp);
    for (size_t j = 0; j < d; ++j) g[j] = static_cast<float>(tmp[j] + 2.0 * el[j] * w_[j]);
  }
  void hvp(const double* v, double* out) {
    for (size_t i = 0; i < n; ++i) {
      double s = 0;
      for (size_t j = 0; j < d; ++j) s += static_cast<double>(xt[i * d + j]) * v[j];
      xvv[i] = s;
    }
    xtr(xt, xvv.data(), n, out);
    for (size_t j = 0; j < d; ++j) out[j] += 2.0 * el[j] * v[j];
  }
  void mixedVjp(const double* v, double* out) const {
    for (size_t j = 0; j < d; ++j) out[j] = 2.0 * el[j] * w[j] * v[j];
  }
  void mixedJvpUnit(size_t j, double* out) const {
    std::fill(out, out + d, 0.0);
    out[j] = 2.0 * el[j] * w[j];
  }
  double outer(const float* w_, double* gw) {
    residuals(xv, yv, m, w_);
    double loss = 0;
    for (size_t i = 0; i < m; ++i) loss += res[i] * res[i];
    xtr(xv, res.data(), m, gw);
    return loss / static_cast<double>(m);
  }
};

struct Cleaning {
  const float *xt, *xv;
  const int32_t *yt, *yv;
  size_t n, m, d, k;
  double l2;
  std::vector<double> sig, sp, P, jv;
  const float* w = nullptr;

  Cleaning(const float* xt_, const int32_t* yt_, size_t n_, const float* xv_, const int32_t* yv_, size_t m_, size_t d_,
           size_t k_, float l2_, const float* lambda)
      : xt(xt_), xv(xv_), yt(yt_), yv(yv_), n(n_), m(m_), d(d_), k(k_), l2(l2_), sig(n_), sp(n_),
        P(std::max(n_, m_) * k_), jv(n_ * k_) {
    for (size_t r = 0; r < n; ++r) {
      sig[r] = 1.0 / (1.0 + std::exp(-static_cast<double>(lambda[r])));
      sp[r] = sig[r] * (1.0 - sig[r]);
    }
  }
  size_t wSize() const { return (d + 1) * k; }
  size_t lambdaSize() const { return n; }
  // Softmax of [x 1]·w for `rows` rows of x into P.
  void probs(const float* x, size_t rows, const float* w_) {
    const float* b = w_ + d * k;
    for (size_t r = 0; r < rows; ++r) {
      double* p = &P[r * k];
      for (size_t c = 0; c < k; ++c) p[c] = b[c];
      for (size_t i = 0; i < d; ++i) {
        const double xi = x[r * d + i];
        for (size_t c = 0; c < k; ++c) p[c] += xi * w_[i * k + c];
      }
      double mx = p[0];
      for (size_t c = 1; c < k; ++c) mx = std::max(mx, p[c]);
      double s = 0;
      for (size_t c = 0; c < k; ++c) s += (p[c] = std::exp(p[c] - mx));
      for (size_t c = 0; c < k; ++c) p[c] /= s;
    }
  }
  void prepare(const float* w_) {
    w = w_;
    probs(xt, n, w_);
  }
  // out = [x 1]ᵀ·u (u [n × k]).
  void backprop(const double* u, double* out) const {
    std::fill(out, out + wSize(), 0.0);
    double* ob = out + d * k;
    for (size_t r = 0; r < n; ++r) {
      const double* ur = u + r * k;
      for (size_t i = 0; i < d; ++i) {
        const double xi = xt[r * d + i];
        for (size_t c = 0; c < k; ++c) out[i * k + c] += xi * ur[c];
      }
      for (size_t c = 0; c < k; ++c) ob[c] += ur[c];
    }
  }
  // jv = [x 1]·V for the train rows.
  void forwardDir(const double* v) {
    const double* vb = v + d * k;
    for (size_t r = 0; r < n; ++r) {
      double* o = &jv[r * k];
      for (size_t c = 0; c < k; ++c) o[c] = vb[c];
      for (size_t i = 0; i < d; ++i) {
        const double xi = xt[r * d + i];
        for (size_t c = 0; c < k; ++c) o[c] += xi * v[i * k + c];
      }
    }
  }
  void grad(const float* w_, float* g, double* tmp) {
    prepare(w_);
    std::vector<double>& u = jv;  // reused as dy
    for (size_t r = 0; r < n; ++r) {
      const double s = sig[r] / static_cast<double>(n);
      for (size_t c = 0; c < k; ++c) u[r * k + c] = s * (P[r * k + c] - (static_cast<int32_t>(c) == yt[r] ? 1.0 : 0.0));
    }
    backprop(u.data(), tmp);
    for (size_t i = 0; i < wSize(); ++i) g[i] = static_cast<float>(tmp[i] + l2 * w_[i]);
  }
  void hvp(const double* v, double* out) {
    forwardDir(v);
    for (size_t r = 0; r < n; ++r) {
      double* o = &jv[r * k];
      const double* p = &P[r * k];
      double pv = 0;
      for (size_t c = 0; c < k; ++c) pv += p[c] * o[c];
      const double s = sig[r] / static_cast<double>(n);
      for (size_t c = 0; c < k; ++c) o[c] = s * p[c] * (o[c] - pv);
    }
    backprop(jv.data(), out);
    for (size_t i = 0; i < wSize(); ++i) out[i] += l2 * v[i];
  }
  void mixedVjp(const double* v, double* out) {
    forwardDir(v);
    for (size_t r = 0; r < n; ++r) {
      double dot = 0;
      for (size_t c = 0; c < k; ++c)
        dot += (P[r * k + c] - (static_cast<int32_t>(c) == yt[r] ? 1.0 : 0.0)) * jv[r * k + c];
      out[r] = sp[r] * dot / static_cast<double>(n);
    }
  }
  void mixedJvpUnit(size_t j, double* out) const {
    std::fill(out, out + wSize(), 0.0);
    const double s = sp[j] / static_cast<double>(n);
    for (size_t c = 0; c < k; ++c) {
      const double e = s * (P[j * k + c] - (static_cast<int32_t>(c) == yt[j] ? 1.0 : 0.0));
      for (size_t i = 0; i < d; ++i) out[i * k + c] = static_cast<double>(xt[j * d + i]) * e;
      out[d * k + c] = e;
    }
  }
  double outer(const float* w_, double* gw) {
    probs(xv, m, w_);
    std::fill(gw, gw + wSize(), 0.0);
    double* gb = gw + d * k;
    double loss = 0;
    for (size_t r = 0; r < m; ++r) {
      const double* p = &P[r * k];
      loss -= std::log(std::max(p[yv[r]], 1e-300));
      for (size_t c = 0; c < k; ++c) {
        const double e = (p[c] - (static_cast<int32_t>(c) == yv[r] ? 1.0 : 0.0)) / static_cast<double>(m);
        for (size_t i = 0; i < d; ++i) gw[i * k + c] += static_cast<double>(xv[r * d + i]) * e;
        gb[c] += e;
      }
    }
    return loss / static_cast<double>(m);
  }
};

template <class Problem>
double sweep(Problem& p, float* w, float* scratch, float* grad, const Sweep& s) {
  const size_t nw = p.wSize();
  const size_t nl = p.lambdaSize();
  const double lr = s.lr;
  std::vector<float> g(nw);
  std::vector<double> tmp(nw), a(nw), hv(nw), lam(nl);
  auto stepW = [&]() {
    p.grad(w, g.data(), tmp.data());
    for (size_t i = 0; i < nw; ++i) w[i] = static_cast<float>(w[i] - lr * g[i]);
  };
  if (!s.forward) {
    for (int t = 0; t < s.steps; ++t) {
      std::copy(w, w + nw, scratch + static_cast<size_t>(t) * nw);
      stepW();
    }
    const double value = p.outer(w, a.data());
    std::vector<double> lamBar(nl, 0.0), gBar(nw);
    for (int t = s.steps - 1; t >= 0; --t) {
      p.prepare(scratch + static_cast<size_t>(t) * nw);
      for (size_t i = 0; i < nw; ++i) gBar[i] = -lr * a[i];
      p.hvp(gBar.data(), hv.data());
      for (size_t i = 0; i < nw; ++i) a[i] += hv[i];
      p.mixedVjp(gBar.data(), lam.data());
      for (size_t j = 0; j < nl; ++j) lamBar[j] += lam[j];
    }
    for (size_t j = 0; j < nl; ++j) grad[j] = static_cast<float>(lamBar[j]);
    return value;
  }
  std::fill(scratch, scratch + nl * nw, 0.0f);
  std::vector<double> z(nw);
  for (int t = 0; t < s.steps; ++t) {
    p.prepare(w);
    for (size_t j = 0; j < nl; ++j) {
      float* zj = scratch + j * nw;
      for (size_t i = 0; i < nw; ++i) z[i] = zj[i];
      p.mixedJvpUnit(j, tmp.data());
      p.hvp(z.data(), hv.data());
      for (size_t i = 0; i < nw; ++i) zj[i] = static_cast<float>(z[i] - lr * (tmp[i] + hv[i]));
    }
    stepW();
  }
  const double value = p.outer(w, a.data());
  for (size_t j = 0; j < nl; ++j) {
    const float* zj = scratch + j * nw;
    double acc = 0;
    for (size_t i = 0; i < nw; ++i) acc += a[i] * zj[i];
    grad[j] = static_cast<float>(acc);
  }
  return value;
}

}  // namespace

double ridgeHypergrad(const float* xTrain, const float* yTrain, size_t n, const float* xVal, const float* yVal,
                      size_t m, size_t d, const float* lambda, float* w, float* scratch, float* grad,
                      const Sweep& s) {
  Ridge p(xTrain, yTrain, n, xVal, yVal, m, d, lambda);
  return sweep(p, w, scratch, grad, s);
}

double cleaningHypergrad(const float* xTrain, const int32_t* yTrain, size_t n, const float* xVal, const int32_t* yVal,
                         size_t m, size_t d, size_t k, float l2, const float* lambda, float* w, float* scratch,
                         float* grad, const Sweep& s) {
  Cleaning p(xTrain, yTrain, n, xVal, yVal, m, d, k, l2, lambda);
  return sweep(p, w, scratch, grad, s);
}

}  // namespace ol::bilevel
