// dlscale-allreduce-time: times MPI_Allreduce (float sum) over a list of sizes, as the
// emulated cluster's ground truth for the ring, tree and latency models; with --op, the ring
// all-reduce's two halves on their own (MPI_Reduce_scatter with equal counts, MPI_Allgather).
// Whatever algorithm Open MPI picks (or the caller forces with coll_tuned MCA parameters) is
// what is timed. Sizes follow nccl-tests: the largest buffer a rank touches (reduce-scatter:
// its input; all-gather: the gathered output), so each rank's block is size / N.
//
// Each timed iteration starts from a barrier; its time is the slowest rank's (a collective
// is over when every rank has the result). Rank 0 prints one CSV line per size:
// bytes,t_p50_s,t_p90_s,repeats
// Open MPI's C++ bindings do not compile cleanly with -Werror; only the C API is used.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "dlscale/percentile.hpp"

namespace {

enum class Op { allreduce, reduce_scatter, allgather };

struct Args {
  Op op = Op::allreduce;
  std::vector<long long> sizes;
  int iters = 20;
  int warmup = 3;
  double budget_s = 5;  // per size: fewer iterations when one takes long
};

void usage_and_exit(int rank, const char* why) {
  if (rank == 0)
    std::fprintf(stderr,
                 "dlscale-allreduce-time: %s\nusage: dlscale-allreduce-time --sizes B1,B2,... "
                 "[--op allreduce|reduce_scatter|allgather] [--iters K (20)] [--warmup W (3)] "
                 "[--budget S (5) seconds per size]\n"
                 "sizes in bytes, multiples of 4 (float32 elements), each >= 4; with "
                 "reduce_scatter and allgather multiples of 4 N\n",
                 why);
  MPI_Finalize();
  std::exit(2);
}

long long parse_ll(const std::string& s, int rank, const char* what) {
  char* end = nullptr;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0') usage_and_exit(rank, what);
  return v;
}

Args parse(int argc, char** argv, int rank) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string key = argv[i];
    if (i + 1 >= argc) usage_and_exit(rank, "an option without its value");
    const std::string value = argv[++i];
    if (key == "--sizes") {
      std::size_t start = 0;
      while (start <= value.size()) {
        const auto comma = value.find(',', start);
        const auto bytes = parse_ll(value.substr(start, comma - start), rank, "--sizes: not an integer");
        if (bytes < 4 || bytes % 4 != 0 || bytes > (1LL << 31)) usage_and_exit(rank, "--sizes: bad size");
        a.sizes.push_back(bytes);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    } else if (key == "--op") {
      if (value == "allreduce") a.op = Op::allreduce;
      else if (value == "reduce_scatter") a.op = Op::reduce_scatter;
      else if (value == "allgather") a.op = Op::allgather;
      else usage_and_exit(rank, "--op: allreduce, reduce_scatter or allgather expected");
    } else if (key == "--iters") {
      a.iters = int(parse_ll(value, rank, "--iters: not an integer"));
    } else if (key == "--warmup") {
      a.warmup = int(parse_ll(value, rank, "--warmup: not an integer"));
    } else if (key == "--budget") {
      a.budget_s = std::atof(value.c_str());
    } else {
      usage_and_exit(rank, "unknown option");
    }
  }
  if (a.sizes.empty() || a.iters < 1 || a.iters > 100000 || a.warmup < 0 || !(a.budget_s > 0))
    usage_and_exit(rank, "--sizes required; --iters >= 1, --warmup >= 0, --budget > 0");
  return a;
}

// One collective over `in` (all-reduce: into `out`; reduce-scatter: block `rank` of the sum
// into out[0, n/N); all-gather: block `rank` of `in` gathered from every rank into `out`).
void collective(Op op, std::vector<float>& in, std::vector<float>& out, int ranks) {
  const int count = int(in.size());
  const int block = count / ranks;
  switch (op) {
    case Op::allreduce:
      MPI_Allreduce(in.data(), out.data(), count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
      break;
    case Op::reduce_scatter: {
      const std::vector<int> counts(std::size_t(ranks), block);
      MPI_Reduce_scatter(in.data(), out.data(), counts.data(), MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
      break;
    }
    case Op::allgather:
      MPI_Allgather(in.data(), block, MPI_FLOAT, out.data(), block, MPI_FLOAT, MPI_COMM_WORLD);
      break;
  }
}

// The slowest rank's time of one collective started together after a barrier.
double timed(Op op, std::vector<float>& in, std::vector<float>& out, int ranks) {
  MPI_Barrier(MPI_COMM_WORLD);
  const double t0 = MPI_Wtime();
  collective(op, in, out, ranks);
  const double local = MPI_Wtime() - t0;
  double slowest = 0;
  MPI_Allreduce(&local, &slowest, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  return slowest;
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const Args a = parse(argc, argv, rank);
  for (const long long bytes : a.sizes)
    if (a.op != Op::allreduce && bytes % (4LL * size) != 0)
      usage_and_exit(rank, "--sizes: with reduce_scatter or allgather, a multiple of 4 N");
  for (const long long bytes : a.sizes) {
    std::vector<float> in(std::size_t(bytes / 4), 1.0f), out(in.size());
    for (int w = 0; w < a.warmup; ++w) timed(a.op, in, out, size);
    std::vector<double> times;
    double spent = 0;
    // Every rank sees the same slowest times, so all agree when the budget ends the loop.
    while (int(times.size()) < a.iters && (times.size() < 3 || spent < a.budget_s)) {
      times.push_back(timed(a.op, in, out, size));
      spent += times.back();
    }
    // A sum of N ones (an all-gather of ones: 1): a wrong result is not a measurement.
    if (out[0] != (a.op == Op::allgather ? 1.0f : float(size))) {
      if (rank == 0) std::fprintf(stderr, "dlscale-allreduce-time: wrong sum %g\n", double(out[0]));
      MPI_Abort(MPI_COMM_WORLD, 1);
    }
    if (rank == 0)
      std::printf("%lld,%.9g,%.9g,%zu\n", bytes, dlscale::nearest_rank(times, 0.5),
                  dlscale::nearest_rank(times, 0.9),
                  times.size());
    std::fflush(stdout);
  }
  MPI_Finalize();
  return 0;
}
