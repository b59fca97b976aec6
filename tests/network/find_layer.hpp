#pragma once
// Test helper: a network's layer by name, failing the test when it is absent.
#include <doctest/doctest.h>

#include <string_view>

#include "dlscale/network.hpp"

namespace dlscale::test {

inline const Layer& layer(const Network& n, std::string_view name) {
  for (const auto& l : n.layers())
    if (l.name == name) return l;
  FAIL("no layer " << name);
  return n.layers().front();
}

}  // namespace dlscale::test
