// `dlscale networks`: what the descriptions contain.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "dlscale/error.hpp"
#include "dlscale/report.hpp"

namespace dlscale::cli {

int cmd_networks(const Args& args, std::ostream& out, std::ostream& err) {
  if (!args.empty() && args[0] == "import") return cmd_networks_import(Args(args.begin() + 1, args.end()), out, err);
  po::options_description desc("networks options");
  desc.add_options()
    ("name", po::value<std::string>(), "show this network (name, .net or .onnx file) in detail (also positional)")
    ("json", "JSON instead of a table")
    ("precision", po::value<std::string>()->default_value("fp32"), "fp32 | fp16 (tensor bytes)")
    ("param", po::value<std::vector<std::string>>(), "network override NAME=INTEGER; repeatable")
    ("data-dir", po::value<std::string>(), "read networks/ here");
  po::positional_options_description pos;
  pos.add("name", 1);
  po::variables_map vm;
  if (!parse_options("networks", "dlscale networks [NAME|FILE] [--json] [--precision P] [--param K=V]\n"
                     "       dlscale networks import MODEL.onnx [--out FILE.net]   (see networks import --help)",
                     desc, args, vm, out, &pos))
    return 0;
  const auto data = data_source("networks", vm);
  NetworkParams params;
  for (const auto& p : list_values(vm, "param")) {
    const auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0)
      throw ConfigError(fmt::format("networks: --param: '{}' is not valid; NAME=INTEGER expected", p));
    params.values[p.substr(0, eq)] = parse_count("networks", "--param " + p.substr(0, eq),
                                                 p.substr(eq + 1), 1, std::int64_t{1} << 40);
  }
  const auto precision = parse_precision(vm["precision"].as<std::string>());
  if (vm.count("name")) {
    const auto net = load_network(vm["name"].as<std::string>(), data, params);
    if (vm.count("json")) report::write_networks_json(out, std::span(&net, 1));
    else report::write_network_detail(out, net, precision);
    return 0;
  }
  std::vector<Network> nets;
  for (const auto& name : network_names(data)) nets.push_back(load_network(name, data, params));
  if (vm.count("json")) report::write_networks_json(out, nets);
  else report::write_networks_table(out, nets);
  return 0;
}

}  // namespace dlscale::cli
