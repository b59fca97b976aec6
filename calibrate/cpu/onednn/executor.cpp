#include "calibrate/cpu/onednn/executor.hpp"

#include <fmt/format.h>

#include "calibrate/cpu/memory.hpp"
#include "calibrate/cpu/onednn/graph.hpp"
#include "dlscale/error.hpp"

namespace dlscale::calib {
namespace {

std::span<float> floats(const dnnl::memory& m) {
  if (!m) return {};
  return {static_cast<float*>(m.get_data_handle()), m.get_desc().get_size() / sizeof(float)};
}

}  // namespace

OnednnExecutor::OnednnExecutor(const Network& net, int batch, std::uint32_t seed, const LrnParams& lrn,
                               std::string_view option) {
  if (batch < 1) throw ConfigError(fmt::format("batch size {} is invalid; 1 or more expected", batch));
  working_set_bytes(net, batch, sizeof(float));  // refuses a shape whose counts overflow, by name
  graph_ = std::make_unique<OnednnGraph>(net, batch, lrn);
  check_fits_in_memory(net.name(), batch, option, graph_->bytes(), "activations, gradients, weights, "
                       "oneDNN workspaces and scratchpad");
  graph_->allocate(seed);
}

OnednnExecutor::~OnednnExecutor() = default;

std::size_t OnednnExecutor::size() const { return graph_->nodes().size(); }
const Layer& OnednnExecutor::layer(std::size_t i) const { return graph_->nodes()[i].layer; }
int OnednnExecutor::batch() const { return graph_->batch(); }
void OnednnExecutor::begin_forward() { graph_->loss = 0; }
void OnednnExecutor::forward(std::size_t i) { graph_->run(graph_->nodes()[i].fwd); }
void OnednnExecutor::begin_backward() {}
void OnednnExecutor::backward(std::size_t i) { graph_->run(graph_->nodes()[i].bwd); }
float OnednnExecutor::loss() const { return graph_->loss; }

float OnednnExecutor::forward_all() {
  begin_forward();
  for (std::size_t i = 0; i < size(); ++i) forward(i);
  return loss();
}

void OnednnExecutor::backward_all() {
  begin_backward();
  for (std::size_t i = size(); i-- > 0;) backward(i);
}

std::span<float> OnednnExecutor::weights(std::size_t i) { return floats(graph_->nodes()[i].w); }
std::span<float> OnednnExecutor::bias(std::size_t i) { return floats(graph_->nodes()[i].b); }
std::span<const float> OnednnExecutor::weight_grad(std::size_t i) const { return floats(graph_->nodes()[i].dw); }
std::span<const float> OnednnExecutor::bias_grad(std::size_t i) const { return floats(graph_->nodes()[i].db); }
std::uint64_t OnednnExecutor::bytes() const { return graph_->bytes(); }

std::uint64_t onednn_working_set_bytes(const Network& net, int batch) {
  working_set_bytes(net, batch, sizeof(float));
  return OnednnGraph(net, batch, {}).bytes();
}

}  // namespace dlscale::calib
