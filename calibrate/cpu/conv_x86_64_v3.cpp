// conv.cpp for x86-64-v3 (meson: -march=x86-64-v3, x86-64 hosts only). Eigen is renamed for
// this translation unit: its templates compiled with AVX2 must not share symbols with the
// baseline copies that the rest of the program links (see conv_isa.hpp).
#define Eigen EigenX86_64_v3
#define DLSCALE_CONV_ISA x86_64_v3
#include "conv.cpp"
