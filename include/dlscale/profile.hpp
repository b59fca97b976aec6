#pragma once
/// A profile: what was measured on one cluster. Format: data/profiles/README.md.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dlscale/collective.hpp"
#include "dlscale/data.hpp"
#include "dlscale/estimate.hpp"
#include "dlscale/fit.hpp"
#include "dlscale/scenario.hpp"
#include "dlscale/units.hpp"

namespace dlscale {

/// Where a figure came from.
enum class Origin { measured, fitted, typed, derived };
std::string_view to_string(Origin o);

/// t_grad of one network at one batch size.
struct GradSample {
  std::optional<std::int64_t> batch;  ///< samples per batch; absent when the source does not say
  Seconds t_grad;
  Origin origin = Origin::measured;
  std::string source;
};

/// Everything a profile says about one network.
/// One layer's measured forward and backward time (medians, at ProfileEntry::layer_batch): what
/// the overlap's readiness of each gradient comes from when the profile has it.
struct LayerTime {
  std::string layer;  ///< the network description's layer name
  Seconds forward, backward;
};

struct ProfileEntry {
  std::string network;              ///< matches a network's `name` (case-insensitive)
  std::vector<GradSample> t_grad;   ///< at least one
  std::optional<Seconds> t_comm;    ///< whole weight set once over one link
  Origin t_comm_origin = Origin::measured;
  std::string t_comm_source;
  /// The section's `param` lines: overrides of the network description (e.g. classes).
  std::map<std::string, std::int64_t> params;
  /// Raw timed passes behind the t_grad figures (`grad_sample_s`), in file order.
  std::vector<GradSample> grad_samples;
  /// Per-layer medians (`layer_s NAME forward= backward= [batch=]`), in file order; all at
  /// one batch size, `layer_batch` when given.
  std::vector<LayerTime> layer_times;
  std::optional<std::int64_t> layer_batch;
  int line = 0;  ///< line of its `[network NAME]` header (0: not read from a file)
  /// t_grad at `batch`, or the first sample when batch is absent.
  const GradSample& grad_at(std::optional<std::int64_t> batch = std::nullopt) const;
};

/// A fitted link (TCP point-to-point, ...).
struct ProfileLink {
  std::string name;  ///< e.g. "tcp"
  LinkModel model;
  Origin origin = Origin::fitted;
  std::string source;
  std::vector<TransferSample> samples;        ///< raw transfers behind the fit (`transfer_s`)
  std::optional<double> max_relative_residual;  ///< of the fit, when it was fitted here
};

/// One measured run of a collective: `size` bytes (nccl-tests' size) in `seconds`, and the fit's
/// relative residual (model - measured) / measured there when the calibration wrote it.
struct CollectiveSample {
  Bytes size;
  Seconds seconds;
  std::optional<double> residual;
};

/// `[collective NAME]`: a collective measured by the NCCL probe, its alpha/busbw fit (nccl-tests'
/// bus-bandwidth convention) and the raw samples behind it.
struct ProfileCollective {
  CollectiveFit fit;
  Origin origin = Origin::fitted;
  std::string source;
  std::vector<CollectiveSample> samples;       ///< `sample_s`, in file order
  std::optional<double> max_relative_residual;  ///< of the fit
  int line = 0;  ///< line of its header (0: not read from a file)
};

/// `[rates]`: the device's achieved throughput per layer class (dlscale/estimate.hpp), measured
/// at `batch`, so t_grad of a network the profile has no entry for can be estimated.
struct ProfileRates {
  std::int64_t batch = 0;
  std::vector<LayerClassRate> classes;  ///< in file order, each kind once
  Origin origin = Origin::measured;
  std::string source;
};

/// A cluster as described by a profile's `[cluster]` section or by command-line options
/// (MODELS.md "Real clusters"). Every field is optional: the command line overrides the
/// profile's fields one by one, and what is left unsaid takes Cluster's defaults.
struct ClusterSpec {
  std::optional<int> gpus_per_node;        ///< G
  std::optional<BytesPerSec> nic;          ///< per node, each way
  std::optional<Seconds> latency;          ///< between workers of different nodes
  std::optional<BytesPerSec> intra;        ///< per worker each way inside a node
  std::optional<Seconds> intra_latency;
  std::optional<int> servers;              ///< K
  std::optional<BytesPerSec> server_nic;   ///< servers on hosts of their own
  std::optional<bool> aggregate;           ///< per-node aggregation

  bool empty() const;
  /// `over`'s fields where it has them, else this one's.
  ClusterSpec overlay(const ClusterSpec& over) const;
  /// The cluster it describes (nullopt when empty). Throws ConfigError "origin: FIELD
  /// describes the network between nodes; a NIC expected" for latency, servers, server_nic or
  /// aggregate without a NIC; `command_line` spells the fields as options (--server-nic)
  /// rather than as profile keys (server_nic).
  std::optional<Cluster> resolve(std::string_view origin, bool command_line) const;
};

/// The keys a `[machine]` section may hold, in the order they are written.
const std::vector<std::string_view>& machine_keys();

struct Profile {
  std::string name;
  std::string hardware;
  /// `[machine]`: what the calibration ran on (cpu, cores, memory_bytes, gpu, versions, hosts),
  /// as key and free text, keys from machine_keys().
  std::vector<std::pair<std::string, std::string>> machine;
  std::string source;  ///< where the file was read from
  std::string provenance;  ///< the file's `source` line: where its figures come from
  std::vector<ProfileLink> links;
  std::vector<ProfileCollective> collectives;  ///< each (collective, scope) at most once
  std::vector<ProfileEntry> entries;
  std::optional<ProfileRates> rates;
  ClusterSpec cluster;  ///< `[cluster]`; empty when the profile has none

  const ProfileEntry* find(std::string_view network) const;  ///< case-insensitive
  const ProfileLink* link(std::string_view name = "tcp") const;
  const ProfileCollective* collective(Collective c, CollectiveScope scope) const;
};

/// Parses a profile; throws ConfigError with file, line and field.
Profile parse_profile(std::string_view text, std::string_view source);
/// Reads a profile file from disk.
Profile load_profile_file(const std::filesystem::path& path);
/// The profile as text that parse_profile reads back to an equal Profile (times printed in
/// their shortest exact form). Throws ConfigError for text it cannot write (a line break, a
/// '#', or a '"' inside a quoted attribute).
std::string format_profile(const Profile& p);
/// Writes `p` to `path` without ever leaving a partial profile, and without replacing anything
/// that is not a regular file: a temporary `.NAME.XXXXXXXX.tmp` (NAME: the file name, X: 8
/// lower-case hex digits) in the same folder, flock'ed while its writer lives, fsync'ed,
/// renamed over `path`, then the folder fsync'ed; a crash leaves the old profile or the new
/// one. Throws ConfigError (and removes its temporary file) when it cannot, or when `path` is
/// no longer a regular file or a new path.
void save_profile(const Profile& p, const std::filesystem::path& path);
/// Throws ConfigError (naming --out) when `path` exists and is not a regular file (a symbolic
/// link is refused, not followed), or when its folder does not exist or is not writable:
/// checked before a calibration measures anything.
void check_profile_output(const std::filesystem::path& path);
/// Removes the temporary files of save_profile that runs killed before their rename left next
/// to `path` (only names of exactly that form, only regular files, only when no live process
/// holds the lock); returns their names.
std::vector<std::string> remove_stale_profile_temporaries(const std::filesystem::path& path);
/// The embedded default: the thesis's table 6.1 ("profiles/thesis-2017.profile").
Profile default_profile(const DataSource& data = DataSource::embedded());

}  // namespace dlscale
