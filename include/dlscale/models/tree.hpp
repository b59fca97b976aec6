#pragma once
/// Tree all-reduce (MODELS.md extension): a binomial-tree reduce to one root, then a
/// binomial-tree broadcast back, each ceil(log2 N) rounds of the whole vector. Cost per
/// Thakur, Rabenseifner & Gropp (2005), with the reduction's compute term neglected as the
/// thesis neglects the weight update (4.1).
#include "dlscale/models/bounds.hpp"
#include "dlscale/scenario.hpp"

namespace dlscale::models {

/// Rounds of one binomial tree over N workers: ceil(log2 N) (0 for N = 1).
int tree_rounds(int workers);

/// All-reduce of `bytes` [s]: 2 ceil(log2 N) (alpha + bytes / beta).
Seconds tree_allreduce(int workers, Bytes bytes, const LinkModel& link);

/// One synchronous iteration on a fitted link [s]: t_g + the all-reduce. Exact.
Bounds tree_sync_iter(int workers, Bytes bytes, const LinkModel& link, Seconds t_grad);

/// One synchronous iteration from t_comm alone (alpha = 0, bytes / beta = t_c) [s]:
/// t_g + 2 ceil(log2 N) t_c. Exact.
Bounds tree_sync_iter(int workers, Seconds t_comm, Seconds t_grad);

}  // namespace dlscale::models

namespace dlscale::models {

/// Binomial-tree all-reduce over N workers placed node by node on cluster `c` (which has a
/// NIC). Round r pairs workers 2^r apart; a round whose pairs all stay inside nodes costs
/// a_i + bytes / B_i, one where any pair crosses nodes a + bytes / min(B, B_i). No NIC ever
/// carries two flows of one round: the senders of a round are 2^(r+1) apart, so at most one
/// pair straddles a node boundary, and once 2^r >= G a node holds at most one sender.
/// Reduce and broadcast: 2 x the sum over rounds [s].
Seconds tree_allreduce(int workers, Bytes bytes, const Cluster& c);

}  // namespace dlscale::models
