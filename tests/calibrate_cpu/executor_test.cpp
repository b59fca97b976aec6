// The executor's wiring: a small DAG with fan-out (one output read by three layers), add,
// concat, batch norm, LRN, both poolings and a softmax loss, checked end to end in double:
// dLoss/dweights from backward_all against central differences of forward_all.
#include <doctest/doctest.h>

#include "calibrate/cpu/executor.hpp"
#include "dlscale/error.hpp"
#include "tiny_dag.hpp"
#include "fd.hpp"

using namespace dlscale::calib;
using dlscale::test::max_fd_error, dlscale::test::fd_tolerance;

namespace {

constexpr const char* dag = dlscale::test::tiny_dag;

std::size_t index_of(const Executor<double>& ex, std::string_view name) {
  for (std::size_t i = 0; i < ex.size(); ++i)
    if (ex.layer(i).name == name) return i;
  FAIL("no layer " << name);
  return 0;
}

}  // namespace

TEST_CASE("gradients through fan-out, add, concat and every layer class match finite differences") {
  const auto net = dlscale::parse_network(dag, "tiny-dag");
  Executor<double> ex(net, 3, 42);
  ex.set_lrn({3, 1.0, 0.75, 2.0});  // a cross-channel term large enough to be checked
  const double loss0 = ex.forward_all();
  CHECK(loss0 > 0);
  ex.backward_all();
  auto loss = [&] { return ex.forward_all(); };
  // c1's weights reach the loss through r1's three consumers: its gradient is only right if the
  // three branch gradients are summed; `a` feeds both add and concat.
  for (const char* name : {"c1", "a", "b", "out"}) {
    CAPTURE(name);
    auto& s = ex.state(index_of(ex, name));
    const auto dw = s.dw, db = s.db;
    CHECK(max_fd_error(s.w, dw, loss) < fd_tolerance);
    CHECK(max_fd_error(s.b, db, loss) < fd_tolerance);
  }
  auto& bn = ex.state(index_of(ex, "bn"));
  const auto dgamma = bn.dw, dbeta = bn.db;
  CHECK(max_fd_error(bn.w, dgamma, loss) < fd_tolerance);
  CHECK(max_fd_error(bn.b, dbeta, loss) < fd_tolerance);
}

TEST_CASE("a second backward pass gives the same gradients (buffers are overwritten, not summed)") {
  const auto net = dlscale::parse_network(dag, "tiny-dag");
  Executor<double> ex(net, 2, 7);
  ex.forward_all();
  ex.backward_all();
  const auto first = ex.state(1).dw;
  ex.backward_all();
  CHECK(ex.state(1).dw == first);
}

TEST_CASE("the executor rejects a batch below 1") {
  const auto net = dlscale::parse_network(dag, "tiny-dag");
  CHECK_THROWS_AS(Executor<float>(net, 0), dlscale::ConfigError);
}
