#pragma once
/// SI units as types, so a time cannot be added to a size by mistake.
#include <compare>
#include <cstdint>

namespace dlscale {

/// A duration in seconds.
struct Seconds {
  double v = 0.0;
  friend constexpr auto operator<=>(Seconds, Seconds) = default;
};
/// A size in bytes.
struct Bytes {
  std::uint64_t v = 0;
  friend constexpr auto operator<=>(Bytes, Bytes) = default;
};
/// A rate in bytes per second.
struct BytesPerSec {
  double v = 0.0;
  friend constexpr auto operator<=>(BytesPerSec, BytesPerSec) = default;
};

constexpr Seconds operator+(Seconds a, Seconds b) { return {a.v + b.v}; }
constexpr Seconds operator-(Seconds a, Seconds b) { return {a.v - b.v}; }
constexpr Seconds operator*(double k, Seconds s) { return {k * s.v}; }
constexpr Seconds operator*(Seconds s, double k) { return {k * s.v}; }
constexpr Seconds operator/(Seconds s, double k) { return {s.v / k}; }
constexpr double operator/(Seconds a, Seconds b) { return a.v / b.v; }
constexpr Seconds& operator+=(Seconds& a, Seconds b) { a.v += b.v; return a; }

constexpr Bytes operator+(Bytes a, Bytes b) { return {a.v + b.v}; }
constexpr Seconds operator/(Bytes b, BytesPerSec r) { return {static_cast<double>(b.v) / r.v}; }
constexpr BytesPerSec operator/(Bytes b, Seconds s) { return {static_cast<double>(b.v) / s.v}; }

}  // namespace dlscale
