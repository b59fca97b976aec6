#include "network/onnx/convert.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>

#include "dlscale/error.hpp"
#include "network/expand.hpp"
#include "network/kinds.hpp"
#include "network/layers.hpp"
#include "network/onnx/fold.hpp"
#include "network/onnx/inputs.hpp"
#include "network/onnx/model.hpp"
#include "network/onnx/ops.hpp"
#include "network/onnx/order.hpp"
#include "network/onnx/statement.hpp"

namespace dlscale::onnx_import {
namespace {

using network_detail::RawLayer;

class Converter {
 public:
  Converter(onnx::ModelProto& m, std::string_view file) : m_(m), g_(*m.mutable_graph()), file_(file) {}

  Converted run(std::string_view name) {
    in_ = read_inputs(g_, file_);
    sort_nodes();
    nodes_in_file_ = g_.node_size();
    infer_until_shaped();
    std::string body = input_statement() + "\n";
    for (int i = 0; i < g_.node_size(); ++i) body += layer(g_.node(i), i);
    Converted c;
    c.notes = notes_;
    c.net_text = header(name) + body;
    return c;
  }

 private:
  template <class... A>
  [[noreturn]] void fail(fmt::format_string<A...> f, A&&... a) const {
    throw ConfigError(fmt::format("{}: {}", file_, fmt::format(f, std::forward<A>(a)...)));
  }

  // ONNX shape inference wants nodes in topological order; the file may not have them so.
  void sort_nodes() {
    const auto order = topological_order(g_, file_);
    google::protobuf::RepeatedPtrField<onnx::NodeProto> sorted;
    for (int i : order) *sorted.Add() = g_.node(i);
    g_.mutable_node()->Swap(&sorted);
    for (int i = 0; i < g_.node_size(); ++i)
      for (const auto& o : g_.node(i).output()) producer_[o] = i;
  }

  void infer() {
    try {
      onnx::shape_inference::InferShapes(m_, onnx::OpSchemaRegistry::Instance(),
                                         onnx::ShapeInferenceOptions(false, 0, true));
    } catch (const std::exception& e) {
      fail("ONNX shape inference failed: {}; a model onnx.checker.check_model accepts expected", e.what());
    }
    facts_.clear();
    for (const auto& v : g_.input()) facts_[v.name()] = facts_of(v);
    for (const auto& v : g_.value_info()) facts_[v.name()] = facts_of(v);
    for (const auto& v : g_.output()) facts_.try_emplace(v.name(), facts_of(v));
    for (const auto& [name, f] : in_.weights) facts_.try_emplace(name, f);
  }

  // An operator ONNX cannot infer (a custom domain) is given its first data input's shape,
  // then inference runs again from there; a known operator without a shape is an error.
  void infer_until_shaped() {
    for (int pass = 0; pass <= g_.node_size(); ++pass) {
      infer();
      mark_activations();
      const auto [i, output] = first_unshaped_layer();
      if (i < 0) return;
      if (fold()) continue;
      const auto* stuck = &g_.node(i);
      const auto label = node_label(*stuck, i);
      if (is_known(*stuck))
        fail("node '{}' ({}): ONNX shape inference gives no shape for its output '{}'; a model "
             "exported with fixed shapes expected", label, stuck->op_type(), output);
      const auto& like = facts_.at(first_activation(*stuck));
      auto* v = g_.add_value_info();
      v->set_name(output);
      auto* t = v->mutable_type()->mutable_tensor_type();
      t->set_elem_type(is_float(like.type) ? like.type : onnx::TensorProto::FLOAT);
      for (auto d : like.dims) t->mutable_shape()->add_dim()->set_dim_value(d);
      notes_.push_back(fmt::format("node '{}' ({}): no ONNX shape inference; its output is assumed "
                                   "to have its input's shape {}", label, stuck->op_type(), fmt::join(like.dims, "x")));
    }
    fail("shapes still unknown after {} passes of shape inference", g_.node_size() + 1);
  }

  // Shape arithmetic that inference could not follow, computed here; true if any was.
  bool fold() {
    const auto shape_of = [this](const std::string& t) -> std::optional<Dims> {
      const auto f = facts_.find(t);
      if (f == facts_.end() || !f->second.shaped) return std::nullopt;
      return f->second.dims;
    };
    if (fold_shape_arithmetic(g_, shape_of) == 0) return false;
    producer_.clear();
    for (int i = 0; i < g_.node_size(); ++i)
      for (const auto& o : g_.node(i).output()) producer_[o] = i;
    return true;
  }

  bool is_known(const onnx::NodeProto& n) const {
    return (n.domain().empty() || n.domain() == "ai.onnx") && classify(n.op_type()).known;
  }

  // Data flows from the input: a node reading data is a layer, and its floating-point
  // outputs are data. Shape arithmetic (Shape, Gather of sizes) yields integers and stops.
  void mark_activations() {
    activations_ = {in_.data_name};
    for (const auto& n : g_.node()) {
      if (first_activation(n).empty()) continue;
      for (int o = 0; o < n.output_size(); ++o) {
        const auto f = facts_.find(n.output(o));
        const bool untyped = f == facts_.end() || f->second.type == 0;
        if ((untyped && o == 0) || (!untyped && is_float(f->second.type))) activations_.insert(n.output(o));
      }
    }
  }

  std::string first_activation(const onnx::NodeProto& n) const {
    for (const auto& in : n.input())
      if (activations_.contains(in)) return in;
    return {};
  }

  // The first layer (node index, output) whose data output has no shape; index -1 if none.
  std::pair<int, std::string> first_unshaped_layer() const {
    for (int i = 0; i < g_.node_size(); ++i) {
      const auto& n = g_.node(i);
      if (first_activation(n).empty()) continue;
      for (const auto& o : n.output()) {
        if (!activations_.contains(o)) continue;
        const auto f = facts_.find(o);
        if (f == facts_.end() || !f->second.shaped) return {i, o};
        break;  // the first data output is the layer's
      }
    }
    return {-1, {}};
  }

  std::string unique_name(std::string_view wanted) {
    auto base = sanitize_name(wanted);
    auto name = base;
    for (int k = 2; !used_names_.insert(name).second; ++k) name = fmt::format("{}_{}", base, k);
    return name;
  }

  Shape sample_shape(const std::string& tensor, std::string_view label) const {
    return per_sample_shape(facts_.at(tensor).dims, in_.batch, fmt::format("{}: {}: shape of '{}'", file_, label, tensor));
  }

  std::string input_statement() {
    const auto name = unique_name(in_.data_name);
    layer_of_[in_.data_name] = name;
    const auto s = sample_shape(in_.data_name, "input");
    shapes_[name] = s;
    return fmt::format("input {} {} {} {}   # ONNX input '{}' {}", name, s.c, s.h, s.w, comment_safe(in_.data_name),
                       fmt::join(facts_.at(in_.data_name).dims, "x"));
  }

  // Float initializers of rank >= 1 reached from a weight slot, through nodes that do not
  // read data (a Transpose of a weight): each is counted once, by its first layer.
  void collect_weights(const onnx::NodeProto& n, std::vector<std::pair<std::string, Dims>>& out,
                       std::unordered_set<int>& seen) {
    for (int i = 0; i < n.input_size(); ++i) {
      const auto& in = n.input(i);
      if (in.empty() || activations_.contains(in) || !may_hold_weights(n.op_type(), static_cast<std::size_t>(i)))
        continue;
      if (const auto w = in_.weights.find(in); w != in_.weights.end()) {
        if (is_float(w->second.type) && !w->second.dims.empty() && claimed_.insert(in).second)
          out.emplace_back(sanitize_name(in), w->second.dims);
        continue;
      }
      if (const auto p = producer_.find(in); p != producer_.end() && seen.insert(p->second).second)
        collect_weights(g_.node(p->second), out, seen);
    }
  }

  std::string layer(const onnx::NodeProto& n, int index) {
    // The first data output gives the shape (output 0 but for an exotic operator).
    const auto data_out = std::find_if(n.output().begin(), n.output().end(),
                                       [&](const std::string& o) { return activations_.contains(o); });
    if (first_activation(n).empty() || data_out == n.output().end()) return "";
    const auto label = node_label(n, index);
    Draft d;
    d.name = unique_name(n.name().empty() ? fmt::format("{}_{}", n.op_type(), index) : n.name());
    const bool known = is_known(n);
    d.kind = known ? classify(n.op_type()).kind : LayerKind::flatten;
    for (const auto& in : n.input())
      if (activations_.contains(in)) d.from.push_back(layer_of_.at(in));
    d.out = sample_shape(*data_out, label);
    if (known) d.macs = macs_per_sample(n, *data_out, label);
    std::unordered_set<int> seen;
    collect_weights(n, d.tensors, seen);
    if (!known)
      notes_.push_back(fmt::format("node '{}' ({}{}): an operator dlscale does not know: 0 "
                                   "multiply-adds, priced as a copy of its output (flatten)", label,
                                   n.domain().empty() ? "" : n.domain() + ".", n.op_type()));
    for (const auto& o : n.output())
      if (activations_.contains(o)) layer_of_[o] = d.name;
    shapes_[d.name] = d.out;
    return statement_for(n, d) + "\n";
  }

  std::int64_t macs_per_sample(const onnx::NodeProto& n, const std::string& out, std::string_view label) const {
    std::vector<Dims> ins;
    for (const auto& in : n.input()) {
      const auto f = facts_.find(in);
      ins.push_back(in.empty() || f == facts_.end() || !f->second.shaped ? Dims{} : f->second.dims);
    }
    bool trans_a = false;
    for (const auto& a : n.attribute())
      if (a.name() == "transA") trans_a = a.i() != 0;
    try {
      return node_macs(n.op_type(), ins, facts_.at(out).dims, trans_a) / in_.batch;
    } catch (const ConfigError& e) {
      fail("node '{}': {}", label, e.what());
    }
  }

  // The native statement when it reproduces the node exactly (shape, multiply-adds, tensor
  // shapes): the probes can run it. Otherwise the counts are written out.
  std::string statement_for(const onnx::NodeProto& n, const Draft& d) const {
    const auto comment = fmt::format("   # ONNX {} '{}'", n.op_type(), comment_safe(n.name()));
    if (auto native = native_statement(n, d, shapes_)) return format_statement(*native) + comment;
    return format_statement(given_statement(d)) + comment;
  }

  std::string header(std::string_view name) const {
    std::string notes;
    for (const auto& note : notes_) notes += "# note: " + comment_safe(note) + "\n";
    return fmt::format(
        "# Written by `dlscale networks import` from {} (ONNX IR {}, opset {}, producer {} {}).\n"
        "# One layer per ONNX node that computes on the input's data; shapes per sample: the batch\n"
        "# dimension ({}) is divided out.\n"
        "# A layer with out= macs= tensor= has counts no native statement reproduces\n"
        "# (data/networks/README.md).\n{}"
        "name {}\ndescription imported from {}: {} ONNX nodes, opset {}{}\n",
        comment_safe(file_name()), m_.ir_version(), default_opset(m_), comment_safe(m_.producer_name()),
        comment_safe(m_.producer_version()), comment_safe(in_.batch_text), notes, name, comment_safe(file_name()), nodes_in_file_,
        default_opset(m_), notes_.empty() ? "" : fmt::format(", {} notes", notes_.size()));
  }

  std::string file_name() const { return std::filesystem::path(file_).filename().string(); }

  onnx::ModelProto& m_;
  onnx::GraphProto& g_;
  std::string file_;
  GraphInputs in_;
  int nodes_in_file_ = 0;
  std::unordered_map<std::string, Facts> facts_;
  std::unordered_map<std::string, int> producer_;  // tensor -> index of the node writing it
  std::unordered_set<std::string> activations_;
  std::unordered_map<std::string, std::string> layer_of_;  // data tensor -> layer name
  std::unordered_map<std::string, Shape> shapes_;          // layer name -> per-sample shape
  std::set<std::string> used_names_;
  std::unordered_set<std::string> claimed_;
  std::vector<std::string> notes_;
};

}  // namespace

Converted convert_model(onnx::ModelProto& m, std::string_view file, std::string_view name) {
  return Converter(m, file).run(name);
}

}  // namespace dlscale::onnx_import
