// Listings of network descriptions: sizes drive t_comm, MACs drive t_grad.
#include <algorithm>

#include <fmt/format.h>

#include "dlscale/report.hpp"

namespace dlscale::report {

namespace {
double megabytes(Bytes b) { return double(b.v) / 1e6; }
std::string shape_text(Shape s) { return fmt::format("{}x{}x{}", s.c, s.h, s.w); }
}  // namespace

void write_networks_table(std::ostream& out, std::span<const Network> nets) {
  fmt::memory_buffer buf;
  auto it = fmt::appender(buf);
  std::size_t width = 7;
  for (const auto& n : nets) width = std::max(width, n.name().size());
  fmt::format_to(it, "{:<{}} {:>12} {:>10} {:>10} {:>8}  {}\n", "network", width, "parameters",
                 "MB (fp32)", "GMACs", "tensors", "input");
  // GMACs to 4 significant digits: the MNIST MLP has 0.0001111 G of them.
  for (const auto& n : nets)
    fmt::format_to(it, "{:<{}} {:>12} {:>10.2f} {:>10.4g} {:>8}  {}\n", n.name(), width,
                   n.parameters(),
                   megabytes(n.weight_bytes(Precision::fp32)), double(n.forward_macs()) / 1e9,
                   n.tensors().size(), shape_text(n.input()));
  fmt::format_to(it, "GMACs: forward multiply-adds per sample; MB = 10^6 bytes\n");
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
}

void write_networks_json(std::ostream& out, std::span<const Network> nets) {
  fmt::memory_buffer buf;
  auto it = fmt::appender(buf);
  fmt::format_to(it, "{{\"format_version\": {}, \"networks\": [", format_version);
  for (std::size_t i = 0; i < nets.size(); ++i) {
    const auto& n = nets[i];
    fmt::format_to(it, "{}{{\"name\": {}, \"description\": {}, \"parameters\": {}, "
                   "\"weight_bytes_fp32\": {}, \"forward_macs\": {}, \"tensors\": {}, "
                   "\"input\": [{}, {}, {}]}}", i == 0 ? "\n  " : ",\n  ", json_string(n.name()),
                   json_string(n.description()), n.parameters(), n.weight_bytes(Precision::fp32).v,
                   n.forward_macs(), n.tensors().size(), n.input().c, n.input().h, n.input().w);
  }
  fmt::format_to(it, "\n]}}\n");
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
}

void write_network_detail(std::ostream& out, const Network& net, Precision p) {
  fmt::memory_buffer buf;
  auto it = fmt::appender(buf);
  fmt::format_to(it, "{}: {}\nsource {}\nparameters {}, {:.2f} MB ({}), {:.3f} GMACs per sample\n\n",
                 net.name(), net.description(), net.source(), net.parameters(),
                 megabytes(net.weight_bytes(p)), to_string(p), double(net.forward_macs()) / 1e9);
  fmt::format_to(it, "{:<24} {:<14} {:>14} {:>12} {:>14}\n", "layer", "kind", "output (CxHxW)",
                 "parameters", "MACs");
  for (const auto& l : net.layers())
    fmt::format_to(it, "{:<24} {:<14} {:>14} {:>12} {:>14}\n", l.name, to_string(l.kind),
                   shape_text(l.out), l.params, l.macs);
  const auto bytes = net.tensor_bytes(p);
  fmt::format_to(it, "\ntensors in model order ({}):\n{:<32} {:>20} {:>12}\n", to_string(p),
                 "tensor", "dims", "bytes");
  for (std::size_t i = 0; i < net.tensors().size(); ++i) {
    const auto& t = net.tensors()[i];
    fmt::format_to(it, "{:<32} {:>20} {:>12}\n", t.name, fmt::format("{}", fmt::join(t.dims, "x")),
                   i < bytes.size() ? bytes[i] : 0);
  }
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
}

}  // namespace dlscale::report
