// Profile writer: what format_profile writes, parse_profile reads back unchanged; save_profile
// replaces a file atomically and leaves the old one intact when it cannot write.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "dlscale/error.hpp"
#include "dlscale/profile.hpp"

using namespace dlscale;

namespace {

void check_same(const Profile& a, const Profile& b) {
  CHECK(a.name == b.name);
  CHECK(a.hardware == b.hardware);
  CHECK(a.provenance == b.provenance);
  CHECK(a.machine == b.machine);
  REQUIRE(a.rates.has_value() == b.rates.has_value());
  if (a.rates) {
    CHECK(a.rates->batch == b.rates->batch);
    CHECK(a.rates->source == b.rates->source);
    REQUIRE(a.rates->classes.size() == b.rates->classes.size());
    for (std::size_t k = 0; k < a.rates->classes.size(); ++k) {
      CHECK(a.rates->classes[k].kind == b.rates->classes[k].kind);
      CHECK(a.rates->classes[k].per_second == b.rates->classes[k].per_second);
    }
  }
  REQUIRE(a.entries.size() == b.entries.size());
  for (std::size_t i = 0; i < a.entries.size(); ++i) {
    const auto &x = a.entries[i], &y = b.entries[i];
    CHECK(x.network == y.network);
    CHECK(x.params == y.params);
    REQUIRE(x.t_grad.size() == y.t_grad.size());
    for (std::size_t k = 0; k < x.t_grad.size(); ++k) {
      CHECK(x.t_grad[k].t_grad.v == y.t_grad[k].t_grad.v);  // exact: shortest round-trip form
      CHECK(x.t_grad[k].batch == y.t_grad[k].batch);
      CHECK(x.t_grad[k].origin == y.t_grad[k].origin);
      CHECK(x.t_grad[k].source == y.t_grad[k].source);
    }
    CHECK(x.t_comm.has_value() == y.t_comm.has_value());
    if (x.t_comm) CHECK(x.t_comm->v == y.t_comm->v);
    CHECK(x.t_comm_source == y.t_comm_source);
    CHECK(x.layer_batch == y.layer_batch);
    REQUIRE(x.layer_times.size() == y.layer_times.size());
    for (std::size_t k = 0; k < x.layer_times.size(); ++k) {
      CHECK(x.layer_times[k].layer == y.layer_times[k].layer);
      CHECK(x.layer_times[k].forward.v == y.layer_times[k].forward.v);
      CHECK(x.layer_times[k].backward.v == y.layer_times[k].backward.v);
    }
    REQUIRE(x.grad_samples.size() == y.grad_samples.size());
    for (std::size_t k = 0; k < x.grad_samples.size(); ++k) {
      CHECK(x.grad_samples[k].t_grad.v == y.grad_samples[k].t_grad.v);
      CHECK(x.grad_samples[k].batch == y.grad_samples[k].batch);
    }
  }
  REQUIRE(a.links.size() == b.links.size());
  for (std::size_t i = 0; i < a.links.size(); ++i) {
    CHECK(a.links[i].name == b.links[i].name);
    CHECK(a.links[i].model.alpha.v == b.links[i].model.alpha.v);
    CHECK(a.links[i].model.beta.v == b.links[i].model.beta.v);
    CHECK(a.links[i].origin == b.links[i].origin);
    CHECK(a.links[i].max_relative_residual == b.links[i].max_relative_residual);
    REQUIRE(a.links[i].samples.size() == b.links[i].samples.size());
    for (std::size_t k = 0; k < a.links[i].samples.size(); ++k) {
      CHECK(a.links[i].samples[k].bytes == b.links[i].samples[k].bytes);
      CHECK(a.links[i].samples[k].seconds.v == b.links[i].samples[k].seconds.v);
    }
  }
}

Profile sample() {
  Profile p = parse_profile(
      "format_version 1\nname lab\nhardware 2x EPYC, 25 Gbit/s\nsource dlscale-calibrate\n"
      "[network SqueezeNet]\nparam classes 256\n"
      "t_grad_s 0.1234567890123 batch=32 origin=measured source=\"cpu probe, 8 threads\"\n"
      "t_grad_s 0.07 batch=16\nt_comm_s 0.0029 origin=derived source=\"alpha + bytes/beta\"\n"
      "grad_sample_s 0.1234 batch=32\ngrad_sample_s 0.1301 batch=32\n"
      "layer_s conv1 forward=0.0012 backward=0.0031 batch=32\n"
      "layer_s fire2/squeeze1x1 forward=0 backward=1.5e-05 batch=32\n"
      "[machine]\ncpu AMD EPYC 7B13 (2 sockets)\ncores 128\nmemory_bytes 1081627066368\n"
      "[rates]\nbatch_size 32 origin=measured source=\"pooled\"\nconv 2.5e10\nrelu 1.1e9\n"
      "[link tcp]\nalpha_s 4.2e-05 origin=fitted\nbeta_Bps 1.1e9 origin=fitted\n"
      "max_relative_residual 0.031\ntransfer_s 4.3e-05 bytes=1024\ntransfer_s 0.00096 bytes=1048576\n",
      "lab.profile");
  return p;
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("format_profile round-trips the embedded profile and a calibrated one") {
  const Profile thesis = default_profile();
  check_same(thesis, parse_profile(format_profile(thesis), "again"));
  const Profile lab = sample();
  check_same(lab, parse_profile(format_profile(lab), "again"));
  // the shortest exact form of 0.1234567890123 is itself
  CHECK(format_profile(lab).find("t_grad_s 0.1234567890123 batch=32") != std::string::npos);
  CHECK(lab.entries[0].layer_times.size() == 2);
  CHECK(format_profile(lab).find("layer_s fire2/squeeze1x1 forward=0 backward=1.5e-05 batch=32\n") !=
        std::string::npos);
}

TEST_CASE("text the parser could not read back is refused") {
  Profile p = sample();
  p.hardware = "rack #3";
  CHECK_THROWS_WITH_AS(format_profile(p), "profile: hardware: 'rack #3' cannot be written; text "
                       "without line breaks, '#' expected", ConfigError);
  p = sample();
  p.entries[0].t_grad[0].source = "say \"hi\"";
  CHECK_THROWS_WITH_AS(format_profile(p), "profile: source: 'say \"hi\"' cannot be written; "
                       "text without line breaks, '#' or '\"' expected", ConfigError);
}

TEST_CASE("a layer name the parser would split is refused") {
  Profile p = sample();
  p.entries[0].layer_times[0].layer = "conv 1";
  CHECK_THROWS_WITH_AS(format_profile(p), "profile: layer: 'conv 1' cannot be written; a name "
                       "without blanks or '=' expected", ConfigError);
}

TEST_CASE("save_profile replaces the file whole, or not at all") {
  const auto dir = std::filesystem::temp_directory_path() / "dlscale_profile_write_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto path = dir / "lab.profile";
  save_profile(sample(), path);
  check_same(sample(), load_profile_file(path));
  const std::string before = slurp(path);

  Profile bad = sample();
  bad.name = "line\nbreak";
  CHECK_THROWS_AS(save_profile(bad, path), ConfigError);
  CHECK(slurp(path) == before);  // the previous profile is intact
  // and no temporary file was left behind
  CHECK(std::distance(std::filesystem::directory_iterator(dir), {}) == 1);

  CHECK_THROWS_AS(save_profile(sample(), dir / "no-such-folder" / "x.profile"), ConfigError);
  std::filesystem::remove_all(dir);
}
