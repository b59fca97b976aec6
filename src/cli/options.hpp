#pragma once
// Shared by the subcommands: Boost.Program_options parsing that turns its errors into
// ConfigError, the options every scenario-based subcommand takes, and value parsers.
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options.hpp>

#include "dlscale/data.hpp"
#include "dlscale/error.hpp"
#include "dlscale/network.hpp"
#include "dlscale/profile.hpp"
#include "dlscale/scenario.hpp"

namespace dlscale::cli {

namespace po = boost::program_options;

/// Parses `args` for subcommand `sub`; prints `usage` and `desc` and returns false for --help.
bool parse_options(std::string_view sub, std::string_view usage, const po::options_description& desc,
                   const std::vector<std::string>& args, po::variables_map& vm, std::ostream& out,
                   const po::positional_options_description* positional = nullptr);

/// Adds --data-dir, --profile, --network, --param, --precision, --comm-precision, --batches,
/// --batch-size, --t-grad, --t-comm, --params, --bytes and the cluster's options.
void add_scenario_options(po::options_description& desc, bool many_networks);

/// What the scenario options say, validated.
struct ScenarioOptions {
  std::vector<std::string> networks;  ///< empty: all of the profile's networks
  NetworkParams params;
  Precision precision = Precision::fp32;       ///< compute
  Precision comm_precision = Precision::fp32;  ///< exchanged weights and gradients
  std::uint64_t split_bytes = 0;               ///< --split-tensors; 0: whole tensors
  std::int64_t batches = 128;
  std::optional<std::int64_t> batch_size;
  std::optional<std::int64_t> dataset;  ///< --dataset: samples per epoch, D from it
  std::int64_t epochs = 1;
  bool global_batch = false;  ///< --global-batch: batch_size is the whole step's, split over N
  std::optional<Seconds> t_grad, t_comm;
  /// --gpus-per-node, --nic, --intra, --servers, ...: over the profile's [cluster].
  ClusterSpec cluster;
  std::vector<int> server_counts;  ///< --servers as given: one K, or optimal's list
  std::optional<Bytes> weight_bytes;  ///< --bytes, or --params x the precision's bytes
  Overlap overlap;  ///< --overlap; none by default
};
ScenarioOptions read_scenario_options(std::string_view sub, const po::variables_map& vm);

/// --data-dir DIR, else DLSCALE_DATA_DIR, else the embedded copy.
DataSource data_source(std::string_view sub, const po::variables_map& vm);
/// --profile FILE, else the default (thesis) profile from `data`.
Profile profile_from(const po::variables_map& vm, const DataSource& data);

/// Values of a repeatable option, each also split on commas; empty when absent.
std::vector<std::string> list_values(const po::variables_map& vm, const char* name);
std::vector<Scheme> schemes_from(const po::variables_map& vm);  ///< default / "all": every scheme
/// Default / "all": every mode, or sync-split alone with --global-batch (which refuses others).
std::vector<Mode> modes_from(const po::variables_map& vm);
/// The error for a mode other than sync-split with --global-batch.
ConfigError global_batch_mode(Mode m);

/// --overlap: "none", "tensor", "buckets" (PyTorch DDP's 25 MiB, the first 1 MiB),
/// "buckets:SIZE" (every bucket SIZE, the first min(1 MiB, SIZE)) or "buckets:SIZE/FIRST".
Overlap parse_overlap(std::string_view sub, std::string_view option, std::string_view text);

/// A finite time > 0 given on the command line.
Seconds parse_seconds(std::string_view sub, std::string_view option, std::string_view text);
/// An integer in [min, max] given on the command line.
std::int64_t parse_count(std::string_view sub, std::string_view option, std::string_view text,
                         std::int64_t min, std::int64_t max);

}  // namespace dlscale::cli
