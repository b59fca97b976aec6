// dlscale-calibrate --nccl under MPI without MPI or a GPU: the rank layout from host names,
// the scope, N and G its sections get (read back by the profile parser), the exact messages of
// every refusal, and the launcher detection.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "calibrate/nccl/rank_layout.hpp"
#include "calibrate/profile/mpi_launch.hpp"
#include "dlscale/collective.hpp"
#include "dlscale/error.hpp"
#include "dlscale/profile.hpp"

using namespace dlscale;
using namespace dlscale::calib;

namespace {

RankLayout layout(const std::vector<std::string>& hosts) { return layout_of(hosts); }

std::string refusal(const RankLayout& l) {
  try {
    require_even(l);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

// The section dlscale-calibrate writes for a scope, formatted and parsed back.
CollectiveFit round_trip(const SweepScope& s) {
  std::vector<TransferSample> samples;
  for (std::uint64_t b = 1024; b <= (1u << 20); b *= 4)
    samples.push_back({Bytes{b}, Seconds{2e-5 + static_cast<double>(b) / 5e9}});
  const auto r = fit_collective(Collective::all_reduce, s.scope, s.workers, s.gpus_per_node, samples);
  Profile p = parse_profile("format_version 1\nname t\n[network N]\nt_grad_s 0.5\n", "head");
  ProfileCollective c;
  c.fit = r.fit;
  c.source = "test";
  p.collectives.push_back(c);
  const Profile back = parse_profile(format_profile(p), "written");
  const auto* read = back.collective(Collective::all_reduce, s.scope);
  REQUIRE(read != nullptr);
  return read->fit;
}

}  // namespace

TEST_CASE("layout: ranks grouped by host, node 0 is rank 0's host") {
  // mpirun's round-robin placement: ranks alternate between hosts.
  const auto l = layout({"b", "a", "b", "a"});
  CHECK(l.hosts == std::vector<std::string>{"b", "a"});
  CHECK(l.ranks_on_host == std::vector<int>{2, 2});
  CHECK(l.node_of_rank == std::vector<int>{0, 1, 0, 1});
  CHECK(l.local_rank == std::vector<int>{0, 0, 1, 1});
  CHECK(l.nodes() == 2);
  CHECK(l.ranks() == 4);
  CHECK(l.even());
  CHECK(describe(l) == "2 nodes x 2 ranks");
  CHECK(describe(layout({"a", "a", "a"})) == "1 node, 3 ranks");
  CHECK(describe(layout({"a", "b"})) == "2 nodes x 1 rank");
}

TEST_CASE("layout: uneven refused with every host's ranks") {
  CHECK(refusal(layout({"a", "a", "b"})) ==
        "uneven MPI layout: 2 ranks on a, 1 on b; the same number of ranks on every node "
        "(one per GPU) expected");
  CHECK(refusal(layout({"x", "y", "y", "z", "y"})) ==
        "uneven MPI layout: 1 rank on x, 3 on y, 1 on z; the same number of ranks on every node "
        "(one per GPU) expected");
  CHECK(refusal(layout({"a", "b", "a", "b"})).empty());
  CHECK_THROWS_WITH_AS(sweep_scope(layout({"a", "a", "b"})),
                       doctest::Contains("uneven MPI layout: 2 ranks on a, 1 on b"), ConfigError);
}

TEST_CASE("sweep scope: N = every rank, G = ranks per node; one node is intra-node") {
  const auto inter = sweep_scope(layout({"a", "a", "a", "a", "b", "b", "b", "b"}));
  CHECK(inter.scope == CollectiveScope::inter_node);
  CHECK(inter.workers == 8);
  CHECK(inter.gpus_per_node == 4);
  const auto one_each = sweep_scope(layout({"a", "b", "c"}));
  CHECK(one_each.scope == CollectiveScope::inter_node);
  CHECK(one_each.workers == 3);
  CHECK(one_each.gpus_per_node == 1);
  const auto intra = sweep_scope(layout({"a", "a", "a"}));
  CHECK(intra.scope == CollectiveScope::intra_node);
  CHECK(intra.workers == 3);
  CHECK(intra.gpus_per_node == 3);
  CHECK_THROWS_WITH_AS(sweep_scope(layout({"a"})),
                       "1 MPI rank: a collective needs 2 ranks or more", ConfigError);
}

TEST_CASE("node 0's own sweep: only across nodes of 2 ranks or more") {
  const auto node = node_sweep_scope(layout({"a", "b", "a", "b", "a", "b"}));
  REQUIRE(node);
  CHECK(node->scope == CollectiveScope::intra_node);
  CHECK(node->workers == 3);
  CHECK(node->gpus_per_node == 3);
  CHECK_FALSE(node_sweep_scope(layout({"a", "b"})));        // one GPU per node
  CHECK_FALSE(node_sweep_scope(layout({"a", "a", "a"})));   // the main sweep is intra-node already
}

TEST_CASE("the scopes' N and G are what the profile parser accepts, and read back") {
  for (const auto& hosts : std::vector<std::vector<std::string>>{
           {"a", "a", "b", "b"}, {"a", "b"}, {"a", "a", "a", "a"}, {"a", "b", "c", "d", "e", "f"}}) {
    const auto l = layout(hosts);
    const auto s = sweep_scope(l);
    const auto fit = round_trip(s);
    CHECK(fit.scope == s.scope);
    CHECK(fit.workers == s.workers);
    CHECK(fit.gpus_per_node == s.gpus_per_node);
    if (const auto node = node_sweep_scope(l)) CHECK(round_trip(*node).workers == node->workers);
  }
}

TEST_CASE("launch refusals before MPI starts: exact messages") {
  CHECK(mpi_launch_refusal(true, 2, false) ==
        "--nccl under an MPI launcher: this build has no MPI (reconfigure with -Dmpi=enabled); "
        "without mpirun, --nccl measures this node's GPUs in one process");
  CHECK(mpi_launch_refusal(true, 0, false).has_value());  // size unknown: still no MPI to use
  CHECK(mpi_launch_refusal(false, 3, true) ==
        "3 MPI ranks without --nccl: each would calibrate alone and write the same profile; only "
        "--nccl runs across ranks, the rest runs without mpirun");
  CHECK(mpi_launch_refusal(false, 3, false).has_value());
  CHECK_FALSE(mpi_launch_refusal(false, 1, true));  // `mpirun -np 1`: a plain run
  CHECK_FALSE(mpi_launch_refusal(false, 0, true));  // PMIx without a size: not refused
  CHECK_FALSE(mpi_launch_refusal(true, 4, true));
}

TEST_CASE("each rank's verdict before NCCL: the plain run's lines, and one rank per GPU") {
  const std::string not_built = "GPU support not built; reconfigure with -Dcuda=enabled (the "
                                "CUDA toolkit and cuDNN)";
  auto v = nccl_rank_verdict({false, 0, not_built, false, 2, "a"});
  CHECK(v.code == 77);
  CHECK(v.message == "--nccl: " + not_built);
  v = nccl_rank_verdict({true, 0, "no CUDA device (cudaGetDeviceCount: no CUDA-capable device is detected)",
                         true, 2, "a"});
  CHECK(v.code == 77);
  CHECK(v.message == "--nccl: no CUDA device (cudaGetDeviceCount: no CUDA-capable device is detected)");
  v = nccl_rank_verdict({true, 4, "", false, 2, "a"});
  CHECK(v.code == 77);
  CHECK(v.message == "--nccl: NCCL support not built; reconfigure with -Dnccl=enabled");
  v = nccl_rank_verdict({true, 1, "", true, 2, "node7"});
  CHECK(v.code == 2);
  CHECK(v.message == "--nccl under MPI: 2 ranks on node7, which has 1 CUDA device; one rank per GPU expected");
  v = nccl_rank_verdict({true, 4, "", true, 5, "n"});
  CHECK(v.message == "--nccl under MPI: 5 ranks on n, which has 4 CUDA devices; one rank per GPU expected");
  v = nccl_rank_verdict({true, 4, "", true, 4, "n"});
  CHECK(v.code == 0);
  CHECK(v.message.empty());
}

TEST_CASE("launcher detection from the environment") {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"}) unsetenv(v);
  CHECK_FALSE(mpi_launcher_ranks());
  setenv("PMIX_RANK", "0", 1);
  CHECK(mpi_launcher_ranks() == 0);  // launched, size unknown
  setenv("PMI_SIZE", "6", 1);
  CHECK(mpi_launcher_ranks() == 6);
  setenv("OMPI_COMM_WORLD_SIZE", "4", 1);
  CHECK(mpi_launcher_ranks() == 4);  // Open MPI's own first
  setenv("OMPI_COMM_WORLD_SIZE", "four", 1);
  CHECK(mpi_launcher_ranks() == 6);  // unreadable: the next that says
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"}) unsetenv(v);
}
