// The conv and fc kernels, compiled once per instruction set: conv_isa.hpp says how and why.
// DLSCALE_CONV_ISA names the namespace of this copy (baseline unless conv_x86_64_v3.cpp sets it).
#include "calibrate/cpu/conv_isa.hpp"

#include <algorithm>

#ifndef DLSCALE_CONV_ISA
#define DLSCALE_CONV_ISA baseline
#endif

namespace dlscale::calib::DLSCALE_CONV_ISA {
namespace {

// Columns are row-major [in.c*kh*kw][n*P] (P = output plane): row (c, ky, kx) holds, for every
// sample and output pixel, the input value under that kernel tap, 0 in the padding.
template <class T>
void im2col(const ConvGeom& g, const T* x, std::vector<T>& col) {
  const auto P = g.out.plane(), NP = g.in.n * P, rows = g.in.c * g.kh * g.kw;
  col.resize(static_cast<std::size_t>(rows * NP));
#pragma omp parallel for schedule(static)
  for (std::int64_t r = 0; r < rows; ++r) {
    const auto c = r / (g.kh * g.kw), ky = r / g.kw % g.kh, kx = r % g.kw;
    T* dst = col.data() + r * NP;
    for (std::int64_t n = 0; n < g.in.n; ++n) {
      const T* src = x + (n * g.in.c + c) * g.in.plane();
      for (std::int64_t oy = 0; oy < g.out.h; ++oy) {
        const auto iy = oy * g.stride - g.pad_h + ky;
        for (std::int64_t ox = 0; ox < g.out.w; ++ox, ++dst) {
          const auto ix = ox * g.stride - g.pad_w + kx;
          const bool inside = iy >= 0 && iy < g.in.h && ix >= 0 && ix < g.in.w;
          *dst = inside ? src[iy * g.in.w + ix] : T(0);
        }
      }
    }
  }
}

// Adjoint of im2col: every column entry adds back into the input pixel it was read from. Rows of
// one channel only touch that channel, so channels run in parallel without races.
template <class T>
void col2im(const ConvGeom& g, const std::vector<T>& dcol, T* dx) {
  const auto P = g.out.plane(), NP = g.in.n * P, taps = std::int64_t{g.kh} * g.kw;
#pragma omp parallel for schedule(static)
  for (std::int64_t c = 0; c < g.in.c; ++c) {
    for (std::int64_t n = 0; n < g.in.n; ++n) {
      T* d = dx + (n * g.in.c + c) * g.in.plane();
      std::fill(d, d + g.in.plane(), T(0));
      for (std::int64_t t = 0; t < taps; ++t) {
        const auto ky = t / g.kw, kx = t % g.kw;
        const T* src = dcol.data() + (c * taps + t) * NP + n * P;
        for (std::int64_t oy = 0; oy < g.out.h; ++oy) {
          const auto iy = oy * g.stride - g.pad_h + ky;
          if (iy < 0 || iy >= g.in.h) continue;
          for (std::int64_t ox = 0; ox < g.out.w; ++ox) {
            const auto ix = ox * g.stride - g.pad_w + kx;
            if (ix >= 0 && ix < g.in.w) d[iy * g.in.w + ix] += src[oy * g.out.w + ox];
          }
        }
      }
    }
  }
}

}  // namespace

template <class T>
void conv_forward(const ConvGeom& g, const T* x, const T* w, const T* b, T* y, ConvScratch<T>& s) {
  im2col(g, x, s.col);
  const auto P = g.out.plane(), NP = g.in.n * P, K = g.k_rows(), co = g.out.c / g.groups;
  s.gemm.resize(static_cast<std::size_t>(g.out.c * NP));
  MapR<T> ymat(s.gemm.data(), g.out.c, NP);
  CMapR<T> cols(s.col.data(), g.in.c * g.kh * g.kw, NP);
  for (int gi = 0; gi < g.groups; ++gi) {
    CMapR<T> wg(w + gi * co * K, co, K);
    ymat.middleRows(gi * co, co).noalias() = wg * cols.middleRows(gi * K, K);
  }
#pragma omp parallel for schedule(static)
  for (std::int64_t nc = 0; nc < g.in.n * g.out.c; ++nc) {
    const auto n = nc / g.out.c, c = nc % g.out.c;
    const T bias = b ? b[c] : T(0);
    const T* src = s.gemm.data() + c * NP + n * P;
    T* dst = y + nc * P;
    for (std::int64_t p = 0; p < P; ++p) dst[p] = src[p] + bias;
  }
}

template <class T>
void conv_backward(const ConvGeom& g, const T* x, const T* w, const T* dy, T* dx, T* dw, T* db,
                   ConvScratch<T>& s) {
  const auto P = g.out.plane(), NP = g.in.n * P, K = g.k_rows(), co = g.out.c / g.groups;
  s.gemm.resize(static_cast<std::size_t>(g.out.c * NP));
#pragma omp parallel for schedule(static)
  for (std::int64_t nc = 0; nc < g.in.n * g.out.c; ++nc) {
    const auto n = nc / g.out.c, c = nc % g.out.c;
    std::copy(dy + nc * P, dy + (nc + 1) * P, s.gemm.data() + c * NP + n * P);
  }
  CMapR<T> dymat(s.gemm.data(), g.out.c, NP);
  if (db) MapV<T>(db, g.out.c) = dymat.rowwise().sum();
  im2col(g, x, s.col);
  CMapR<T> cols(s.col.data(), g.in.c * g.kh * g.kw, NP);
  if (dx) s.dcol.resize(s.col.size());
  MapR<T> dcols(s.dcol.data(), dx ? g.in.c * g.kh * g.kw : 0, NP);
  for (int gi = 0; gi < g.groups; ++gi) {
    const auto dyg = dymat.middleRows(gi * co, co);
    MapR<T>(dw + gi * co * K, co, K).noalias() = dyg * cols.middleRows(gi * K, K).transpose();
    if (dx)
      dcols.middleRows(gi * K, K).noalias() = CMapR<T>(w + gi * co * K, co, K).transpose() * dyg;
  }
  if (dx) col2im(g, s.dcol, dx);
}

template <class T>
void fc_forward(std::int64_t batch, std::int64_t in, std::int64_t out, const T* x, const T* w,
                const T* b, T* y) {
  MapR<T> ym(y, batch, out);
  ym.noalias() = CMapR<T>(x, batch, in) * CMapR<T>(w, out, in).transpose();
  if (b) ym.rowwise() += CMapV<T>(b, out).transpose();
}

template <class T>
void fc_backward(std::int64_t batch, std::int64_t in, std::int64_t out, const T* x, const T* w,
                 const T* dy, T* dx, T* dw, T* db) {
  CMapR<T> dym(dy, batch, out);
  MapR<T>(dw, out, in).noalias() = dym.transpose() * CMapR<T>(x, batch, in);
  if (db) MapV<T>(db, out) = dym.colwise().sum().transpose();
  if (dx) MapR<T>(dx, batch, in).noalias() = dym * CMapR<T>(w, out, in);
}

#define DLSCALE_CONV_INSTANTIATE(T)                                                             \
  template void conv_forward<T>(const ConvGeom&, const T*, const T*, const T*, T*,             \
                                ConvScratch<T>&);                                               \
  template void conv_backward<T>(const ConvGeom&, const T*, const T*, const T*, T*, T*, T*,    \
                                 ConvScratch<T>&);                                              \
  template void fc_forward<T>(std::int64_t, std::int64_t, std::int64_t, const T*, const T*,    \
                              const T*, T*);                                                    \
  template void fc_backward<T>(std::int64_t, std::int64_t, std::int64_t, const T*, const T*,   \
                               const T*, T*, T*, T*);
DLSCALE_CONV_INSTANTIATE(float)
DLSCALE_CONV_INSTANTIATE(double)

}  // namespace dlscale::calib::DLSCALE_CONV_ISA
